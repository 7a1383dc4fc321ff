import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CertificateAuthority, type IssuedIdentity } from '../../../control/ca/authority.js';
import { loadIdentityFiles, type IdentityFilePaths } from '../../../proxy/identity/cert-files.js';
import { IdentityError, type IdentityErrorCode } from '../../../proxy/identity/identity-error.js';
import { makeRoot, makeSigned, scratchDir, writeDir } from '../../control/ca/test-pki.js';

const HOUR = 3_600_000;

const refusedWith = (code: IdentityErrorCode, message: RegExp) => (err: unknown) => {
  assert.ok(err instanceof IdentityError, `expected an IdentityError, got ${String(err)}`);
  assert.equal(err.code, code, err.message);
  assert.match(err.message, message);
  return true;
};

describe("a proxy's identity files", () => {
  const tmp = scratchDir();
  let ca: CertificateAuthority;
  let other: CertificateAuthority;
  let payments: IssuedIdentity;
  let n = 0;

  /** Writes cert.pem, key.pem and ca.pem into a fresh directory and returns their paths. */
  const files = (cert: string, key: string, bundle: string): IdentityFilePaths => {
    const dir = tmp.sub(`set-${n++}`);
    writeDir(dir, { 'cert.pem': cert, 'key.pem': key, 'ca.pem': bundle });
    return { cert: join(dir, 'cert.pem'), key: join(dir, 'key.pem'), ca: join(dir, 'ca.pem') };
  };
  const issued = (id: IssuedIdentity) => files(id.certificatePem + id.chainPem, id.privateKeyPem, id.trustBundlePem);

  before(async () => {
    ca = await CertificateAuthority.init(tmp.sub('ca'), {});
    other = await CertificateAuthority.init(tmp.sub('other-ca'), {});
    payments = await ca.issue({ service: 'payments', ttlMs: HOUR });
  });
  after(() => tmp.remove());

  it('load with the service, trust domain and expiry the certificate names', () => {
    const id = loadIdentityFiles(issued(payments));
    assert.equal(id.service, 'payments');
    assert.equal(id.trustDomain, 'faultmesh.local');
    assert.equal(id.spiffeId, 'spiffe://faultmesh.local/service/payments');
    assert.equal(Math.floor(id.notAfter.getTime() / 1000), Math.floor(payments.notAfter.getTime() / 1000));
    assert.equal(id.keyPem, payments.privateKeyPem);
  });

  it('load through an intermediate sent after the leaf in cert.pem', async () => {
    const root = await makeRoot('team root');
    const mesh = await makeSigned(root, 'mesh intermediate', { ca: true });
    const dir = tmp.sub('intermediate-ca');
    writeDir(dir, { 'ca.key': mesh.keyPem, 'ca.crt': mesh.pem, 'trust.pem': root.pem });
    const id = await (await CertificateAuthority.load(dir)).issue({ service: 'checkout' });
    assert.equal(loadIdentityFiles(issued(id)).service, 'checkout');
    // Without the intermediate the leaf does not reach the root.
    assert.throws(() => loadIdentityFiles(files(id.certificatePem, id.privateKeyPem, id.trustBundlePem)), refusedWith('UNTRUSTED', /cert\.pem: certificate "CN=checkout" is not signed by any certificate of the CA bundle in .*ca\.pem/));
  });

  it('are refused once the certificate has expired, and before it is valid', () => {
    const paths = issued(payments);
    assert.throws(() => loadIdentityFiles(paths, { now: new Date(Date.now() + 2 * HOUR) }), refusedWith('EXPIRED', /cert\.pem: certificate "CN=payments" expired at /));
    assert.throws(() => loadIdentityFiles(paths, { now: new Date(Date.now() - HOUR) }), refusedWith('NOT_YET_VALID', /is not valid before/));
  });

  it('are refused when the certificate comes from another CA', () => {
    assert.throws(() => loadIdentityFiles(files(payments.certificatePem, payments.privateKeyPem, other.trustBundlePem)), refusedWith('UNTRUSTED', /not signed by any certificate of the CA bundle/));
  });

  it('are refused when the key is not the certificate\'s', async () => {
    const orders = await ca.issue({ service: 'orders' });
    assert.throws(() => loadIdentityFiles(files(payments.certificatePem, orders.privateKeyPem, payments.trustBundlePem)), refusedWith('KEY_MISMATCH', /key\.pem: is not the private key of the certificate in .*cert\.pem/));
  });

  it('are refused when the certificate names no service', async () => {
    const root = await makeRoot('plain root');
    for (const uris of [undefined, ['https://payments.example/'], ['spiffe://faultmesh.local/service/a', 'spiffe://faultmesh.local/service/b']]) {
      const leaf = await makeSigned(root, 'payments', uris ? { uris } : {});
      assert.throws(() => loadIdentityFiles(files(leaf.pem, leaf.keyPem, root.pem)), refusedWith('NO_IDENTITY', /cert\.pem: the certificate has no single spiffe:/), String(uris));
    }
  });

  it('are refused for another trust domain when one is required', () => {
    assert.throws(() => loadIdentityFiles(issued(payments), { trustDomain: 'prod.example' }), refusedWith('WRONG_TRUST_DOMAIN', /of trust domain faultmesh\.local, not prod\.example/));
  });

  it('are refused, naming the file, when missing or not PEM', () => {
    const good = issued(payments);
    assert.throws(() => loadIdentityFiles({ ...good, cert: tmp.sub('nope.pem') }), refusedWith('FILE_UNREADABLE', /nope\.pem: file not found/));
    const junk = tmp.sub('junk.pem');
    writeFileSync(junk, 'hello\n');
    assert.throws(() => loadIdentityFiles({ ...good, ca: junk }), refusedWith('NOT_PEM', /junk\.pem: holds no PEM certificate/));
    assert.throws(() => loadIdentityFiles({ ...good, key: junk }), refusedWith('NOT_PEM', /junk\.pem: holds no PEM private key/));
    writeFileSync(junk, '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');
    assert.throws(() => loadIdentityFiles({ ...good, cert: junk }), refusedWith('NOT_PEM', /junk\.pem: certificate 1 is not a valid X\.509 certificate/));
  });
});
