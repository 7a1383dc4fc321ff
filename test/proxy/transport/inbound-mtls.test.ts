import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CertificateAuthority, IssuedIdentity } from '../../../control/ca/authority.js';
import { makeRoot, makeSigned } from '../../control/ca/test-pki.js';
import { rawExchange } from '../../helpers/raw-socket.js';
import { sample } from '../../helpers/metrics.js';
import { waitFor } from '../../helpers/wait.js';
import { startInbound, twoCas, type InboundFixture } from './inbound-fixture.js';

const failures = async (f: InboundFixture, reason: string) => sample(await f.metricsText(), 'faultmesh_inbound_tls_failures_total', { reason }) ?? 0;

describe('an inbound sidecar in mutual mode', () => {
  let cas: Awaited<ReturnType<typeof twoCas>>;
  let ca: CertificateAuthority;
  let f: InboundFixture;
  let checkout: IssuedIdentity;
  let stranger: IssuedIdentity;
  let expired: IssuedIdentity;
  // A second root the sidecar trusts, whose leaves name no service of the mesh.
  let foreignRootPem: string;
  let nameless: IssuedIdentity;
  let otherDomain: IssuedIdentity;

  before(async () => {
    cas = await twoCas();
    ca = cas.ca;
    checkout = await ca.issue({ service: 'checkout' });
    stranger = await cas.other.issue({ service: 'checkout' });
    expired = await ca.issue({ service: 'checkout', now: new Date(Date.now() - 3 * 86_400_000), ttlMs: 3_600_000 });
    const root = await makeRoot('team root');
    foreignRootPem = root.pem;
    const asIssued = (leaf: Awaited<ReturnType<typeof makeSigned>>): IssuedIdentity => ({ ...checkout, certificatePem: leaf.pem, chainPem: '', privateKeyPem: leaf.keyPem });
    nameless = asIssued(await makeSigned(root, 'no spiffe id'));
    otherDomain = asIssued(await makeSigned(root, 'other domain', { uris: ['spiffe://elsewhere.example/service/checkout'] }));
    f = await startInbound(ca, { extraTrust: foreignRootPem });
  });
  after(async () => {
    await f.close();
    cas.remove();
  });

  it('passes a caller with a mesh certificate to the app, which sees the verified service, not the header it sent', async () => {
    const reply = await f.call(checkout, '/api/charge?x=1', { headers: { 'x-faultmesh-source': 'frontend', 'x-faultmesh-peer': 'spiffe://faultmesh.local/service/frontend' } });
    assert.equal(reply.status, 200, reply.body);
    assert.deepEqual(JSON.parse(reply.body), { source: 'checkout', peer: 'spiffe://faultmesh.local/service/checkout' });
    const seen = f.seen.at(-1)!;
    assert.equal(seen.path, '/api/charge?x=1');
    assert.equal(seen.headers['x-faultmesh-source'], 'checkout', 'one value: the spoofed one is gone');
    const text = await f.metricsText();
    assert.equal(sample(text, 'faultmesh_inbound_requests_total', { source: 'checkout', destination: 'payments', instance: 'app', code: '200' }), 1);
    // The caller's sidecar counts the call in faultmesh_requests_total; a sum over both sidecars must count it once.
    assert.equal(sample(text, 'faultmesh_requests_total', { source: 'checkout', destination: 'payments', instance: 'app', code: '200' }), undefined);
    await waitFor(() => f.logLines.some((l) => l.path === '/api/charge' && l.source === 'checkout'), 'the call is in the access log');
    const line = f.logLines.find((l) => l.path === '/api/charge')!;
    assert.equal(line.direction, 'inbound');
    assert.equal(line.destination, 'payments');
    assert.equal(line.status, 200);
  });

  it('answers a plaintext request with a plain refusal, counted, without reaching the app', async () => {
    const before = f.seen.length;
    const answer = await rawExchange(f.port, 'GET /api/charge HTTP/1.1\r\nhost: payments\r\nx-faultmesh-source: checkout\r\n\r\n');
    assert.match(answer, /^HTTP\/1\.1 400 /);
    assert.match(answer, /x-faultmesh-error: MTLS_REQUIRED/);
    assert.match(answer, /accepts mutual TLS only/);
    assert.equal(await failures(f, 'plaintext'), 1);
    assert.equal(f.seen.length, before);
    await waitFor(() => f.logLines.some((l) => l.event === 'tls_refused' && l.reason === 'plaintext'), 'the refusal is logged');
  });

  // Each refused the same way by node:tls; the counter's reason tells them apart.
  const refusals: Array<[string, () => IssuedIdentity | undefined, string]> = [
    ['a certificate from another CA', () => stranger, 'unknown_ca'],
    ['an expired certificate', () => expired, 'expired'],
    ['no certificate at all', () => undefined, 'no_certificate'],
  ];
  for (const [what, client, reason] of refusals) {
    it(`refuses a caller with ${what}, counting it as ${reason}`, async () => {
      const before = f.seen.length;
      const was = await failures(f, reason);
      await assert.rejects(f.call(client(), '/api/charge'));
      await waitFor(async () => (await failures(f, reason)) === was + 1, `the refusal is counted as ${reason}`);
      assert.equal(f.seen.length, before, 'the app saw nothing');
    });
  }

  it('refuses with 403 a trusted certificate naming no service of its trust domain', async () => {
    for (const client of [nameless, otherDomain]) {
      const reply = await f.call(client, '/api/charge');
      assert.equal(reply.status, 403);
      assert.equal(reply.headers['x-faultmesh-error'], 'FORBIDDEN');
      assert.match(reply.body, /names no service of trust domain faultmesh\.local/);
    }
    assert.equal(await failures(f, 'bad_certificate'), 2);
    assert.ok(!f.seen.some((s) => s.headers['x-faultmesh-source'] === undefined), 'neither reached the app');
  });

  it("applies its own service's policy to the verified caller: allowed paths pass, the rest is 403, counted and logged with the caller", async () => {
    f.setPolicy({ allow: [{ from: ['checkout'], methods: ['GET'], paths: ['/api/**'] }] });
    try {
      assert.equal((await f.call(checkout, '/api/charge')).status, 200);
      const before = f.seen.length;
      const denied = await f.call(checkout, '/admin/refund', { headers: { 'x-faultmesh-source': 'frontend' } });
      assert.equal(denied.status, 403);
      assert.equal(denied.headers['x-faultmesh-error'], 'FORBIDDEN');
      assert.match(denied.body, /service \\"checkout\\" may not call service \\"payments\\"/);
      assert.equal(f.seen.length, before);
      assert.equal(sample(await f.metricsText(), 'faultmesh_authz_denied_total', { destination: 'payments', source: 'checkout' }), 1);
      await waitFor(() => f.logLines.some((l) => l.path === '/admin/refund' && l.status === 403), 'the refusal is in the access log');
      const line = f.logLines.find((l) => l.path === '/admin/refund')!;
      assert.equal(line.source, 'checkout', 'the verified identity, not the header');
      assert.deepEqual(line.flags, ['FORBIDDEN']);
    } finally {
      f.setPolicy(undefined);
    }
  });
});
