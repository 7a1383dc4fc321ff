import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CertificateAuthority } from '../../../control/ca/authority.js';
import { CaError, type CaErrorCode } from '../../../control/ca/ca-error.js';
import { makeRoot, makeSigned, scratchDir, writeDir, type TestCert } from './test-pki.js';

const YEAR = 365 * 86_400_000;

const refusedWith = (code: CaErrorCode, message: RegExp) => (err: unknown) => {
  assert.ok(err instanceof CaError, `expected a CaError, got ${String(err)}`);
  assert.equal(err.code, code, err.message);
  assert.match(err.message, message);
  return true;
};

describe('a CA directory', () => {
  const tmp = scratchDir();
  let good: string;
  let root: TestCert;
  before(async () => {
    good = tmp.sub('good');
    await CertificateAuthority.init(good, {});
    root = await makeRoot('team root');
  });
  after(() => tmp.remove());

  /** A copy of the good CA directory with `change` applied. */
  const variant = (name: string, change: (dir: string) => void): string => {
    const dir = tmp.sub(name);
    mkdirSync(dir);
    for (const f of readdirSync(good)) writeFileSync(join(dir, f), readFileSync(join(good, f)), { mode: f === 'ca.key' ? 0o600 : 0o644 });
    change(dir);
    return dir;
  };

  it('is created in an empty or absent directory, and in one that holds only other files', async () => {
    const other = tmp.sub('other-files');
    mkdirSync(other);
    writeFileSync(join(other, 'README'), 'not a CA file\n');
    const ca = await CertificateAuthority.openOrInit(other, {});
    assert.equal(ca.trustDomain, 'faultmesh.local');
    assert.ok(existsSync(join(other, 'ca.key')) && existsSync(join(other, 'README')));
    assert.ok(!readdirSync(other).some((f) => f.endsWith('.tmp')), 'no temporary file left behind');
  });

  it('is never overwritten by init', async () => {
    const before = readFileSync(join(good, 'ca.key'), 'utf8');
    await assert.rejects(CertificateAuthority.init(good, {}), refusedWith('CA_EXISTS', /already holds a CA \(ca\.key, ca\.crt, trust\.pem, ca\.json\)/));
    assert.equal(readFileSync(join(good, 'ca.key'), 'utf8'), before);
  });

  it('is refused when partial, rather than replaced by a new root', async () => {
    const dir = variant('partial', (d) => rmSync(join(d, 'ca.key')));
    await assert.rejects(CertificateAuthority.openOrInit(dir, {}), refusedWith('CA_DIR_PARTIAL', /has ca\.crt, trust\.pem, ca\.json but not ca\.key/));
    assert.ok(!existsSync(join(dir, 'ca.key')), 'openOrInit created nothing');
  });

  it('is refused when others may read the key, naming the chmod that fixes it', async () => {
    const dir = variant('exposed', () => {});
    writeDir(dir, { 'ca.key': readFileSync(join(good, 'ca.key'), 'utf8') }, 0o644);
    await assert.rejects(CertificateAuthority.load(dir), refusedWith('CA_KEY_EXPOSED', /ca\.key: mode 0644 lets other users read or change the CA key; run chmod 600 /));
  });

  // Table: each broken directory and the refusal it gets, naming the file at fault.
  const cases: { what: string; make: (dir: string) => Promise<void> | void; code: CaErrorCode; message: RegExp; now?: Date }[] = [
    { what: 'a key that is not the certificate\'s', make: async (d) => writeDir(d, { 'ca.key': (await makeRoot('x')).keyPem }), code: 'CA_KEY_MISMATCH', message: /ca\.key: is not the private key of .*ca\.crt/ },
    { what: 'a signing certificate that is no CA', make: async (d) => { const leaf = await makeSigned(root, 'leaf'); writeDir(d, { 'ca.key': leaf.keyPem, 'ca.crt': leaf.pem, 'trust.pem': root.pem }); }, code: 'CA_NOT_CA', message: /ca\.crt: is not a CA certificate/ },
    { what: 'a CA expired at the time of loading', make: () => {}, code: 'CA_EXPIRED', message: /ca\.crt: certificate "CN=faultmesh root CA.*" expired at .*: the CA cannot sign/, now: new Date(Date.now() + 11 * YEAR) },
    { what: 'a CA not yet valid', make: () => {}, code: 'CA_EXPIRED', message: /is not valid before/, now: new Date(Date.now() - YEAR) },
    { what: 'a ca.crt holding two certificates', make: (d) => writeFileSync(join(d, 'ca.crt'), readFileSync(join(d, 'ca.crt'), 'utf8') + root.pem), code: 'CA_FILE_INVALID', message: /ca\.crt: holds 2 certificates; .* chain\.pem/ },
    { what: 'a ca.crt that is not PEM', make: (d) => writeFileSync(join(d, 'ca.crt'), 'hello\n'), code: 'CA_FILE_INVALID', message: /ca\.crt: holds no PEM certificate/ },
    { what: 'a key that is not PEM', make: (d) => writeDir(d, { 'ca.key': 'hello\n' }), code: 'CA_FILE_INVALID', message: /ca\.key: is not a readable unencrypted PEM private key/ },
    { what: 'a ca.json that is not JSON', make: (d) => writeFileSync(join(d, 'ca.json'), '{'), code: 'CA_FILE_INVALID', message: /ca\.json: is not JSON/ },
    { what: 'a ca.json with a bad trust domain', make: (d) => writeFileSync(join(d, 'ca.json'), '{"trustDomain":"Bad Domain"}'), code: 'CA_FILE_INVALID', message: /ca\.json: trustDomain: "Bad Domain" is not a trust domain/ },
  ];
  for (const c of cases) {
    it(`is refused for ${c.what}`, async () => {
      const dir = tmp.sub(`case-${cases.indexOf(c)}`);
      rmSync(dir, { recursive: true, force: true });
      variant(`case-${cases.indexOf(c)}`, () => {});
      await c.make(dir);
      await assert.rejects(CertificateAuthority.load(dir, c.now ? { now: () => c.now! } : {}), refusedWith(c.code, c.message));
    });
  }

  it('is refused when asked for another trust domain than the one it was created for', async () => {
    await assert.rejects(CertificateAuthority.openOrInit(good, { trustDomain: 'prod.example' }), refusedWith('CA_TRUST_DOMAIN_MISMATCH', /holds a CA of trust domain faultmesh\.local, not prod\.example/));
  });

  it('is refused when it is a file', async () => {
    const file = tmp.sub('a-file');
    writeFileSync(file, 'x');
    await assert.rejects(CertificateAuthority.openOrInit(file, {}), refusedWith('CA_DIR_IO', /a-file: is not a directory/));
  });
});
