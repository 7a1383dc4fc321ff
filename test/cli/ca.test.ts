import assert from 'node:assert/strict';
import { chmodSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { loadIdentityFiles } from '../../proxy/identity/cert-files.js';
import { runCli, type CliRun } from '../helpers/cli.js';
import { privateScalarOf, scratchDir } from '../control/ca/test-pki.js';

/** A refusal the way users must get it: exit 2, one line on stderr, no stack trace. */
function assertOneLineRefusal(run: CliRun, message: RegExp): void {
  assert.equal(run.code, 2, run.stderr);
  const lines = run.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, run.stderr);
  assert.match(lines[0]!, /^faultmesh: /);
  assert.match(lines[0]!, message);
  assert.doesNotMatch(run.stderr, /\n\s+at /);
}

describe('faultmesh ca', () => {
  const tmp = scratchDir();
  const caDir = tmp.sub('ca');
  const outDir = tmp.sub('payments');
  const printed: string[] = [];
  after(() => tmp.remove());

  it('init creates a root CA and says what it wrote', async () => {
    const run = await runCli(['ca', 'init', caDir, '--trust-domain', 'shop.internal']);
    assert.equal(run.code, 0, run.stderr);
    printed.push(run.stdout, run.stderr);
    assert.match(run.stdout, /created a root CA in .* for trust domain shop\.internal/);
    for (const f of ['ca.key', 'ca.crt', 'trust.pem', 'ca.json']) assert.match(run.stdout, new RegExp(`${f}\\s`));
    assert.equal(statSync(join(caDir, 'ca.key')).mode & 0o777, 0o600);
  });

  it('init refuses to overwrite an existing CA', async () => {
    assertOneLineRefusal(await runCli(['ca', 'init', caDir]), /ca: already holds a CA .* never overwritten/);
  });

  it('issue writes cert.pem, key.pem (0600) and ca.pem, which load as the service', async () => {
    const run = await runCli(['ca', 'issue', '--ca-dir', caDir, '--service', 'payments', '--out', outDir, '--ttl', '2h']);
    assert.equal(run.code, 0, run.stderr);
    printed.push(run.stdout, run.stderr);
    assert.match(run.stdout, /issued spiffe:\/\/shop\.internal\/service\/payments \(serial [0-9a-f]{32}\)/);
    assert.equal(statSync(join(outDir, 'key.pem')).mode & 0o777, 0o600);
    const id = loadIdentityFiles({ cert: join(outDir, 'cert.pem'), key: join(outDir, 'key.pem'), ca: join(outDir, 'ca.pem') });
    assert.equal(id.service, 'payments');
    assert.equal(id.trustDomain, 'shop.internal');
    const lifetime = id.notAfter.getTime() - Date.now();
    assert.ok(lifetime > 1.9 * 3_600_000 && lifetime <= 2 * 3_600_000, `about 2h left, got ${lifetime}ms`);
    // The leaf's key was written, not printed.
    assert.ok(!run.stdout.includes(privateScalarOf(readFileSync(join(outDir, 'key.pem'), 'utf8'))));
  });

  it('never prints the CA key', () => {
    const scalar = privateScalarOf(readFileSync(join(caDir, 'ca.key'), 'utf8'));
    assert.equal(printed.length, 4);
    for (const text of printed) assert.ok(!text.includes(scalar), 'the CA key appears in the output');
  });

  it('show prints subject, SPIFFE id, issuer and validity', async () => {
    const run = await runCli(['ca', 'show', outDir]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /cert\.pem:\n {2}subject {5}CN=payments\n {2}spiffe id {3}spiffe:\/\/shop\.internal\/service\/payments\n {2}issuer {6}CN=faultmesh root CA, O=shop\.internal\n/);
    assert.match(run.stdout, /ca\.pem:\n[\s\S]*\(self-signed\)[\s\S]* {2}ca {10}yes/);
  });

  for (const [what, args, message] of [
    ['a bad service name', ['ca', 'issue', '--ca-dir', caDir, '--service', 'Payments', '--out', outDir], /--service: "Payments": service names are lower case/],
    ['a bad ttl', ['ca', 'issue', '--ca-dir', caDir, '--service', 'payments', '--out', outDir, '--ttl', '90d'], /--ttl: "90d" is longer than the 30d allowed here/],
    ['a missing CA', ['ca', 'issue', '--ca-dir', join(caDir, 'nope'), '--service', 'payments', '--out', outDir], /nope: holds no CA .*faultmesh ca init/],
    ['a bad trust domain', ['ca', 'init', tmp.sub('ca2'), '--trust-domain', 'Shop'], /--trust-domain: "Shop" is not a trust domain/],
    ['a path that is not there', ['ca', 'show', tmp.sub('nothing')], /nothing: no such file or directory/],
  ] as const) {
    it(`refuses ${what} in one line with exit 2`, async () => assertOneLineRefusal(await runCli([...args]), message));
  }

  it('refuses a CA whose key others can read, and one with files missing', async () => {
    chmodSync(join(caDir, 'ca.key'), 0o644);
    assertOneLineRefusal(await runCli(['ca', 'issue', '--ca-dir', caDir, '--service', 'payments', '--out', outDir]), /ca\.key: mode 0644 lets other users read or change the CA key; run chmod 600/);
    chmodSync(join(caDir, 'ca.key'), 0o600);
    rmSync(join(caDir, 'trust.pem'));
    assertOneLineRefusal(await runCli(['ca', 'issue', '--ca-dir', caDir, '--service', 'payments', '--out', outDir]), /has ca\.key, ca\.crt, ca\.json but not trust\.pem/);
  });
});
