import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { CertificateAuthority } from '../../../control/ca/authority.js';
import { startEchoUpstream, type EchoUpstream } from '../../../demo/echo-upstream.js';
import type { RunningProxy } from '../../../proxy/proxy-app.js';
import { scratchDir } from '../../control/ca/test-pki.js';
import { send } from '../../helpers/http-client.js';
import { startTestProxy } from '../../helpers/mesh-fixture.js';
import { sample, total } from '../../helpers/metrics.js';
import { issueAll, sameSerial, startMtlsUpstream, TD, writeIdentity, type MtlsUpstream, type SeenByUpstream } from './outbound-fixture.js';

describe('outbound mTLS: a sidecar with an identity calling tls: mutual services', () => {
  const tmp = scratchDir();
  let payments: MtlsUpstream;
  let impostor: MtlsUpstream;
  let foreign: MtlsUpstream;
  let expired: MtlsUpstream;
  let distrustful: MtlsUpstream;
  let plain: EchoUpstream;
  let proxy: RunningProxy;
  let bare: RunningProxy;
  let checkoutSerial: string;

  before(async () => {
    const ca = await CertificateAuthority.init(tmp.sub('ca'), {});
    const otherCa = await CertificateAuthority.init(tmp.sub('other-ca'), {});
    const [checkout, pay, orders] = await issueAll(ca, ['checkout', 'payments', 'orders']);
    const [foreignPay] = await issueAll(otherCa, ['payments']);
    checkoutSerial = checkout!.serial;
    payments = await startMtlsUpstream(pay!, ca.trustBundlePem);
    impostor = await startMtlsUpstream(orders!, ca.trustBundlePem); // registered as payments2, presents orders
    foreign = await startMtlsUpstream(foreignPay!, ca.trustBundlePem); // the right name, from another CA
    const hourAgo = new Date(Date.now() - 3_600_000);
    expired = await startMtlsUpstream(await ca.issue({ service: 'payments4', ttlMs: 60_000, now: hourAgo }), ca.trustBundlePem);
    distrustful = await startMtlsUpstream((await issueAll(ca, ['payments5']))[0]!, otherCa.trustBundlePem); // trusts only the other CA's clients
    plain = await startEchoUpstream({ service: 'catalog', instance: 'cat-1' });
    // Retries on everything a transient failure could be: an identity or certificate refusal must still be tried once only.
    const retryAll = 'policy: { retries: { attempts: 3, retryOn: [connect-failure, reset], backoff: { base: 1ms, max: 2ms } } }';
    const meshFile = tmp.sub('mesh.yaml');
    const yaml = [
      'services:',
      `  payments: { tls: mutual, instances: [ { id: pay-1, address: 127.0.0.1:${payments.port} } ] }`,
      `  payments2: { tls: mutual, ${retryAll}, instances: [ { id: pay2-1, address: 127.0.0.1:${impostor.port} } ] }`,
      `  payments3: { tls: mutual, ${retryAll}, instances: [ { id: pay3-1, address: 127.0.0.1:${foreign.port} } ] }`,
      `  payments4: { tls: mutual, ${retryAll}, instances: [ { id: pay4-1, address: 127.0.0.1:${expired.port} } ] }`,
      `  payments5: { tls: mutual, ${retryAll}, instances: [ { id: pay5-1, address: 127.0.0.1:${distrustful.port} } ] }`,
      `  catalog: { instances: [ { id: cat-1, address: 127.0.0.1:${plain.port} } ] }`,
    ].join('\n');
    writeFileSync(meshFile, `${yaml}\n`);
    mkdirSync(tmp.sub('checkout'));
    const files = writeIdentity(tmp.sub('checkout'), checkout!);
    proxy = await startTestProxy(meshFile, { identity: { kind: 'files', ...files, trustDomain: TD }, log: () => {} });
    bare = await startTestProxy(meshFile);
  });
  after(async () => {
    await proxy?.close(500);
    await bare?.close(500);
    for (const u of [payments, impostor, foreign, expired, distrustful, plain]) await u?.close();
    tmp.remove();
  });

  const call = (via: RunningProxy, host: string, path = '/', headers: Record<string, string> = {}) => send(via.proxyUrl, { path, headers: { host, ...headers } });
  const metrics = async () => (await send(proxy.adminUrl, { path: '/metrics' })).text();

  it('reaches a tls: mutual service over TLS 1.3, presenting its certificate, and 100 sequential calls share one handshake', async () => {
    for (let i = 0; i < 100; i++) {
      const r = await call(proxy, 'payments');
      assert.equal(r.status, 200, r.text());
      if (i === 0) {
        const seen = r.json<SeenByUpstream>();
        assert.equal(seen.peer, 'checkout', 'the server saw the SPIFFE id of the sidecar');
        assert.equal(seen.protocol, 'TLSv1.3');
        assert.ok(sameSerial(seen.serial, checkoutSerial));
      }
    }
    assert.equal(payments.handshakes(), 1);
    const m = await metrics();
    assert.equal(sample(m, 'faultmesh_upstream_tls_handshakes_total', { destination: 'payments', resumed: 'false' }), 1);
    assert.equal(total(m, 'faultmesh_upstream_tls_handshakes_total', { destination: 'payments' }), 1);
  });

  it('resumes the TLS session when the pool opens a new connection to the instance', async () => {
    // The server closes this connection after answering, so the next call needs a new one.
    assert.equal((await call(proxy, 'payments', '/close')).status, 200);
    const seen = (await call(proxy, 'payments')).json<SeenByUpstream>();
    assert.equal(seen.resumed, true, 'the server resumed the session');
    assert.equal(seen.peer, 'checkout', 'a resumed session still carries the client identity');
    assert.equal(payments.handshakes(), 2);
    assert.equal(sample(await metrics(), 'faultmesh_upstream_tls_handshakes_total', { destination: 'payments', resumed: 'true' }), 1);
  });

  it('refuses a server whose certificate names another service: 502 UPSTREAM_IDENTITY, one connection, no retry', async () => {
    const r = await call(proxy, 'payments2');
    assert.equal(r.status, 502);
    assert.equal(r.headers['x-faultmesh-error'], 'UPSTREAM_IDENTITY');
    assert.match(r.json<{ message: string }>().message, /instance pay2-1 presented the identity of service "orders", expected service "payments2"/);
    assert.equal(impostor.connections(), 1, 'tried once, not retried as a connect failure');
    const m = await metrics();
    assert.equal(sample(m, 'faultmesh_proxy_errors_total', { destination: 'payments2', error: 'UPSTREAM_IDENTITY' }), 1);
    assert.equal(total(m, 'faultmesh_retries_total', { destination: 'payments2' }), 0);
  });

  it('refuses a server certificate from another CA: 502 UPSTREAM_TLS with the reason, not retried', async () => {
    const r = await call(proxy, 'payments3');
    assert.equal(r.status, 502);
    assert.equal(r.headers['x-faultmesh-error'], 'UPSTREAM_TLS');
    assert.match(r.json<{ message: string }>().message, /TLS with instance pay3-1 failed: its certificate is refused: .*\(UNABLE_TO_VERIFY_LEAF_SIGNATURE\)/);
    assert.equal(foreign.connections(), 1);
  });

  it('refuses an expired server certificate: 502 UPSTREAM_TLS naming it', async () => {
    const r = await call(proxy, 'payments4');
    assert.equal(r.status, 502);
    assert.equal(r.headers['x-faultmesh-error'], 'UPSTREAM_TLS');
    assert.match(r.json<{ message: string }>().message, /TLS with instance pay4-1 failed: its certificate is refused: certificate has expired \(CERT_HAS_EXPIRED\)/);
    assert.equal(expired.connections(), 1);
  });

  it('says so when the instance refuses this proxy\'s certificate', async () => {
    const r = await call(proxy, 'payments5');
    assert.equal(r.status, 502);
    assert.equal(r.headers['x-faultmesh-error'], 'UPSTREAM_TLS');
    assert.match(r.json<{ message: string }>().message, /TLS with instance pay5-1 failed: the instance closed the connection before accepting the handshake: it most likely refused this proxy's certificate/);
    assert.equal(distrustful.connections(), 1, 'a refusal is not retried as a reset');
  });

  it('still calls a tls: off service in plain HTTP', async () => {
    const r = await call(proxy, 'catalog');
    assert.equal(r.status, 200);
    assert.equal(plain.received(), 1);
    assert.equal(total(await metrics(), 'faultmesh_upstream_tls_handshakes_total', { destination: 'catalog' }), 0);
  });

  it('ignores a client\'s x-faultmesh-source: the source is the certificate\'s service, and the header is not sent upstream', async () => {
    const r = await call(proxy, 'payments', '/', { 'x-faultmesh-source': 'frontend' });
    const seen = r.json<SeenByUpstream>();
    assert.equal(seen.source, null, 'the claim did not reach the upstream');
    assert.equal(seen.peer, 'checkout');
    const m = await metrics();
    assert.equal(total(m, 'faultmesh_requests_total', { source: 'frontend' }), 0);
    assert.ok(total(m, 'faultmesh_requests_total', { source: 'checkout', destination: 'payments' }) >= 103);
  });

  it('answers 503 NO_IDENTITY, counted, when a proxy without a certificate calls a tls: mutual service', async () => {
    const before = payments.connections();
    const r = await call(bare, 'payments');
    assert.equal(r.status, 503);
    assert.equal(r.headers['x-faultmesh-error'], 'NO_IDENTITY');
    assert.match(r.json<{ message: string }>().message, /service "payments" requires mTLS and this proxy has no certificate: start it with --cert\/--key\/--ca or --control with a join token/);
    assert.equal(payments.connections(), before, 'no connection was tried');
    const m = (await send(bare.adminUrl, { path: '/metrics' })).text();
    assert.equal(sample(m, 'faultmesh_proxy_errors_total', { destination: 'payments', error: 'NO_IDENTITY' }), 1);
    // The same proxy still trusts the header for its own calls: it has no identity to say otherwise.
    assert.equal((await call(bare, 'catalog', '/', { 'x-faultmesh-source': 'frontend' })).status, 200);
  });
});
