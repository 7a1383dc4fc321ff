import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { after, describe, it } from 'node:test';
import { CaError } from '../../../control/ca/ca-error.js';
import { CertificateAuthority } from '../../../control/ca/authority.js';
import { verifyChain } from '../../../proxy/identity/chain.js';
import { createCsr, generateIdentityKey } from '../../../proxy/identity/keys.js';
import { pemBlocks } from '../../../proxy/identity/pem.js';
import { spiffeIdOfSan } from '../../../proxy/identity/peer.js';
import { makeRoot, makeSigned, privateScalarOf, scratchDir, writeDir } from './test-pki.js';

const HOUR = 3_600_000;
const certsOf = (pem: string) => pemBlocks(pem, 'CERTIFICATE').map((b) => new X509Certificate(b));

describe('the mesh certificate authority', () => {
  const tmp = scratchDir();
  after(() => tmp.remove());

  it('creates a root on init, with the key 0600, and loads the same root again', async () => {
    const dir = tmp.sub('root');
    const ca = await CertificateAuthority.init(dir, { trustDomain: 'shop.internal' });
    assert.equal(statSync(join(dir, 'ca.key')).mode & 0o777, 0o600);
    assert.equal(JSON.parse(readFileSync(join(dir, 'ca.json'), 'utf8')).trustDomain, 'shop.internal');
    const [root] = certsOf(readFileSync(join(dir, 'trust.pem'), 'utf8'));
    assert.ok(root!.ca && root!.checkIssued(root!), 'trust.pem holds the self-signed root');
    const again = await CertificateAuthority.load(dir);
    assert.equal(again.trustDomain, 'shop.internal');
    assert.equal(again.trustBundlePem, ca.trustBundlePem);
    const reopened = await CertificateAuthority.openOrInit(dir, {});
    assert.equal(reopened.subject, ca.subject);
  });

  it('signs for the service it is told, whatever the CSR asks for', async () => {
    const ca = await CertificateAuthority.openOrInit(tmp.sub('told'), {});
    const key = await generateIdentityKey();
    const csr = await createCsr(key.cryptoKeyPair, 'admin', ca.trustDomain); // asks for spiffe://.../service/admin
    const signed = await ca.sign(csr, { service: 'payments' });
    const leaf = new X509Certificate(signed.certificatePem);
    assert.deepEqual(spiffeIdOfSan(leaf.subjectAltName), { trustDomain: 'faultmesh.local', service: 'payments' });
    assert.equal(leaf.subjectAltName, 'URI:spiffe://faultmesh.local/service/payments', 'exactly one SAN, the one the CA set');
    assert.equal(leaf.subject, 'CN=payments');
    assert.equal(leaf.ca, false);
    assert.deepEqual(leaf.keyUsage, ['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']);
    assert.equal(signed.spiffeId, 'spiffe://faultmesh.local/service/payments');
    assert.equal(signed.chainPem, '', 'a root CA sends no intermediates');
    assert.ok(verifyChain(leaf, [], certsOf(signed.trustBundlePem), new Date()).ok);
    assert.match(signed.serial, /^[0-9a-f]{32}$/);
    assert.equal(leaf.serialNumber.toLowerCase(), signed.serial);
  });

  it('starts a leaf a minute in the past and ends it after its ttl, cut at the CA expiry', async () => {
    const at = new Date('2030-01-01T00:00:00Z');
    const ca = await CertificateAuthority.init(tmp.sub('clock'), { now: () => at });
    const id = await ca.issue({ service: 'orders', ttlMs: 2 * HOUR });
    assert.equal(id.notBefore.toISOString(), '2029-12-31T23:59:00.000Z');
    assert.equal(id.notAfter.toISOString(), '2030-01-01T02:00:00.000Z');
    const late = new Date(ca.notAfter.getTime() - HOUR);
    const cut = await ca.issue({ service: 'orders', ttlMs: 24 * HOUR, now: late });
    assert.equal(cut.notAfter.getTime(), ca.notAfter.getTime());
    await assert.rejects(ca.issue({ service: 'orders', now: new Date(ca.notAfter.getTime() + 1) }), (err: unknown) => err instanceof CaError && err.code === 'CA_EXPIRED');
  });

  it('refuses a CSR whose signature does not verify, and one that is not a CSR', async () => {
    const ca = await CertificateAuthority.openOrInit(tmp.sub('bad-csr'), {});
    const key = await generateIdentityKey();
    const csr = await createCsr(key.cryptoKeyPair, 'payments', ca.trustDomain);
    const der = Buffer.from(pemBlocks(csr, 'CERTIFICATE REQUEST')[0]!.replace(/-----[A-Z ]+-----|\s/g, ''), 'base64');
    der[der.length - 3]! ^= 0x01; // inside the signature
    const tampered = `-----BEGIN CERTIFICATE REQUEST-----\n${der.toString('base64')}\n-----END CERTIFICATE REQUEST-----\n`;
    await assert.rejects(ca.sign(tampered, { service: 'payments' }), (err: unknown) => err instanceof CaError && err.code === 'CSR_INVALID' && /signature does not verify/.test(err.message));
    await assert.rejects(ca.sign('hello', { service: 'payments' }), (err: unknown) => err instanceof CaError && err.code === 'CSR_INVALID');
    await assert.rejects(ca.sign(csr, { service: 'payments', ttlMs: 0 }), (err: unknown) => err instanceof CaError && err.code === 'TTL_INVALID');
    await assert.rejects(ca.sign(csr, { service: 'Payments' }), /service names are lower case/);
  });

  it("loads an intermediate signed by the team's own root, and its leaves verify against trust.pem", async () => {
    const teamRoot = await makeRoot('team root');
    const meshCa = await makeSigned(teamRoot, 'mesh intermediate', { ca: true });
    const dir = tmp.sub('intermediate');
    writeDir(dir, { 'ca.key': meshCa.keyPem, 'ca.crt': meshCa.pem, 'trust.pem': teamRoot.pem });
    const ca = await CertificateAuthority.load(dir, { trustDomain: 'team.example' });
    assert.equal(ca.trustDomain, 'team.example', 'no ca.json: the trust domain given');
    const id = await ca.issue({ service: 'checkout' });
    const chain = certsOf(id.chainPem);
    assert.equal(chain.length, 1);
    assert.equal(chain[0]!.subject, 'CN=mesh intermediate');
    const check = verifyChain(new X509Certificate(id.certificatePem), chain, certsOf(id.trustBundlePem), new Date());
    assert.ok(check.ok);
    assert.equal(check.path.length, 3);
  });

  it('refuses an intermediate whose trust.pem holds no root that verifies it', async () => {
    const teamRoot = await makeRoot('team root');
    const stranger = await makeRoot('someone else');
    const meshCa = await makeSigned(teamRoot, 'mesh intermediate', { ca: true });
    const dir = tmp.sub('untrusted');
    writeDir(dir, { 'ca.key': meshCa.keyPem, 'ca.crt': meshCa.pem, 'trust.pem': stranger.pem });
    await assert.rejects(CertificateAuthority.load(dir), (err: unknown) => err instanceof CaError && err.code === 'CA_UNTRUSTED' && /ca\.crt: does not chain to a root in .*trust\.pem/.test(err.message));
  });

  it('never shows its key: not in JSON, inspect, or the messages of its errors', async () => {
    const dir = tmp.sub('secret');
    const ca = await CertificateAuthority.init(dir, {});
    const keyPem = readFileSync(join(dir, 'ca.key'), 'utf8');
    const scalar = privateScalarOf(keyPem);
    const shown = [JSON.stringify(ca), inspect(ca, { depth: 10, showHidden: true }), String(ca)];
    // A key that does not match the certificate: the error names the file, not the key.
    const other = await makeRoot('other');
    const mismatched = tmp.sub('mismatch');
    writeDir(mismatched, { 'ca.key': keyPem, 'ca.crt': other.pem, 'trust.pem': other.pem });
    const err = await CertificateAuthority.load(mismatched).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof CaError && err.code === 'CA_KEY_MISMATCH', String(err));
    shown.push(err.message, JSON.stringify(err), inspect(err));
    for (const text of shown) assert.ok(!text.includes(scalar), `the CA key leaked into: ${text.slice(0, 200)}`);
    assert.match(JSON.stringify(ca), /"trustDomain":"faultmesh.local"/);
  });
});
