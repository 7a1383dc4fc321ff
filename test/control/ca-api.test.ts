import assert from 'node:assert/strict';
import { createHash, X509Certificate } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { verifyChain } from '../../proxy/identity/chain.js';
import { createCsr, generateIdentityKey } from '../../proxy/identity/keys.js';
import { spiffeIdOfSan } from '../../proxy/identity/peer.js';
import { startCaControl, type CaControl } from './ca-api-fixture.js';

const csrFor = async (service: string) => createCsr((await generateIdentityKey()).cryptoKeyPair, service, 'faultmesh.local');
const secretOf = (token: string) => token.split('.')[2]!;

describe("the control plane's CA: join tokens and certificates", () => {
  let control: CaControl;
  before(async () => {
    control = await startCaControl();
  });
  after(() => control?.stop());

  it('creates a token under the control token only, and shows its secret once', async () => {
    assert.equal((await control.call('POST', '/v1/join-tokens', { services: ['orders'] }, 'wrong')).status, 401);
    const r = await control.call('POST', '/v1/join-tokens', { services: ['orders'], ttl: '30d' });
    assert.equal(r.status, 201, r.text());
    const body = r.json<{ id: string; token: string; services: string[]; expiresAt: string; secretSha256?: string }>();
    assert.match(body.token, /^fmjt\.[0-9a-f]{12}\.[A-Za-z0-9_-]{43}$/);
    assert.deepEqual(body.services, ['orders']);
    assert.equal(body.expiresAt, new Date(control.clock.now() + 30 * 86_400_000).toISOString());
    assert.equal(body.secretSha256, undefined);
  });

  it('lists tokens without their secrets (and only with the control token), and stores only the hash', async () => {
    const { id, token } = await control.token(['orders', 'payments']);
    assert.equal((await control.call('GET', '/v1/join-tokens', undefined, '')).status, 401);
    const listed = await control.call('GET', '/v1/join-tokens');
    assert.equal(listed.status, 200);
    const mine = listed.json<{ tokens: Array<{ id: string; services: string[]; state: string }> }>().tokens.find((t) => t.id === id);
    assert.deepEqual({ services: mine?.services, state: mine?.state }, { services: ['orders', 'payments'], state: 'active' });
    assert.ok(!listed.text().includes(secretOf(token)));
    const stored = JSON.stringify((await control.store.list('join-tokens/')).items);
    assert.ok(!stored.includes(secretOf(token)), 'the secret is not in the store');
    assert.ok(stored.includes(createHash('sha256').update(secretOf(token)).digest('hex')), 'its hash is');
  });

  it('signs a CSR for exactly the service asked for, whatever the CSR names, chaining to the trust bundle', async () => {
    const { token } = await control.token(['orders']);
    const r = await control.call('POST', '/v1/certificates', { service: 'orders', csr: await csrFor('payments') }, token);
    assert.equal(r.status, 200, r.text());
    const body = r.json<{ certificate: string; chain: string; trustBundle: string; notAfter: string; serial: string; spiffeId: string }>();
    const leaf = new X509Certificate(body.certificate);
    assert.deepEqual(spiffeIdOfSan(leaf.subjectAltName), { trustDomain: 'faultmesh.local', service: 'orders' });
    assert.equal(body.spiffeId, 'spiffe://faultmesh.local/service/orders');
    assert.equal(leaf.serialNumber.toLowerCase(), body.serial);
    assert.equal(body.notAfter, new Date(control.clock.now() + 24 * 3_600_000).toISOString());
    assert.equal(verifyChain(leaf, [], [new X509Certificate(body.trustBundle)], new Date(control.clock.now())).ok, true);
    assert.ok(control.logs.some((l) => l.includes('issued a certificate for service orders') && l.includes(body.serial)), control.logs.join('\n'));
  });

  it('refuses a service the token does not allow with 403, naming the token and its services but not its secret', async () => {
    const { id, token } = await control.token(['orders']);
    const r = await control.call('POST', '/v1/certificates', { service: 'payments', csr: await csrFor('payments') }, token);
    assert.equal(r.status, 403);
    assert.equal(r.json().code, 'SERVICE_NOT_ALLOWED');
    assert.match(String(r.json().message), new RegExp(`join token ${id} may be issued certificates for orders, not for payments`));
    assert.ok(!r.text().includes(secretOf(token)));
  });

  it('gives a revoked, an unknown or an expired token no certificate (401)', async () => {
    const csr = await csrFor('orders');
    const revoked = await control.token(['orders']);
    const del = await control.call('DELETE', `/v1/join-tokens/${revoked.id}`);
    assert.equal(del.status, 200, del.text());
    const r1 = await control.call('POST', '/v1/certificates', { service: 'orders', csr }, revoked.token);
    assert.deepEqual([r1.status, r1.json().code], [401, 'TOKEN_REVOKED']);
    const forged = revoked.token.slice(0, -4) + 'AAAA';
    const r2 = await control.call('POST', '/v1/certificates', { service: 'orders', csr }, forged);
    assert.deepEqual([r2.status, r2.json().code], [401, 'TOKEN_UNKNOWN']);
    const r3 = await control.call('POST', '/v1/certificates', { service: 'orders', csr });
    assert.deepEqual([r3.status, r3.json().code], [401, 'TOKEN_UNKNOWN'], 'the control token is no join token');
    const short = await control.token(['orders'], '1h');
    await control.clock.advance(3_600_000);
    const r4 = await control.call('POST', '/v1/certificates', { service: 'orders', csr }, short.token);
    assert.deepEqual([r4.status, r4.json().code], [401, 'TOKEN_EXPIRED']);
    assert.equal((await control.call('DELETE', '/v1/join-tokens/0123456789ab')).status, 404);
  });

  it('refuses a CSR that is not one with 400, and bad token requests field by field', async () => {
    const { token } = await control.token(['*']);
    const r = await control.call('POST', '/v1/certificates', { service: 'orders', csr: '-----BEGIN CERTIFICATE REQUEST-----\nnope\n-----END CERTIFICATE REQUEST-----\n' }, token);
    assert.deepEqual([r.status, r.json().code], [400, 'CSR_INVALID']);
    for (const bad of [{ services: [] }, { services: ['*', 'orders'] }, { services: ['Orders!'] }, { services: ['orders'], ttl: '0s' }, { services: ['orders'], ttl: '400d' }]) {
      const t = await control.call('POST', '/v1/join-tokens', bad);
      assert.equal(t.status, 400, `${JSON.stringify(bad)}: ${t.text()}`);
    }
  });

  it('counts issuances per service on /metrics', async () => {
    const text = (await control.call('GET', '/metrics')).text();
    assert.match(text, /faultmesh_control_certificates_issued_total\{service="orders"\} 1/);
    assert.match(text, /faultmesh_control_certificates_refused_total\{reason="TOKEN_REVOKED"\} 1/);
  });

  it("never shows the CA's key or a token's secret in a log line or an answer", async () => {
    assert.ok(control.caKeySecret.length > 20);
    const text = [...control.logs, ...control.answers].join('\n');
    assert.ok(!text.includes(control.caKeySecret), "the CA key's private part appears");
    assert.ok(!/PRIVATE KEY/.test(text));
    const secrets = control.answers.flatMap((a) => [...a.matchAll(/fmjt\.[0-9a-f]{12}\.([A-Za-z0-9_-]{43})/g)].map((m) => m[1]!));
    assert.ok(secrets.length > 0);
    for (const s of secrets) assert.ok(!control.logs.join('\n').includes(s), 'a token secret is in the log');
  });
});

describe('a control plane without --ca-dir', () => {
  let control: CaControl;
  before(async () => {
    control = await startCaControl({ withCa: false });
  });
  after(() => control?.stop());

  it('answers certificate and token requests with 501 NO_CA', async () => {
    const cert = await control.call('POST', '/v1/certificates', { service: 'orders', csr: await csrFor('orders') }, 'fmjt.0123456789ab.x');
    assert.deepEqual([cert.status, cert.json().code], [501, 'NO_CA']);
    const token = await control.call('POST', '/v1/join-tokens', { services: ['orders'] });
    assert.deepEqual([token.status, token.json().code], [501, 'NO_CA']);
    assert.match(String(token.json().message), /--ca-dir/);
  });
});
