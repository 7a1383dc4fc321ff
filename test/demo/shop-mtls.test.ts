import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { STARTUP_TIMEOUT_MS } from '../../demo/children.js';
import { callThrough, mtlsLines, presentedIdentities, REFUSED_PATH } from '../../demo/shop/shop-mtls.js';
import { PROXIES, startShop, type Shop } from '../../demo/shop/start-shop.js';
import { parsePromText } from '../../runner/providers/prom-text.js';
import { send } from '../helpers/http-client.js';
import { waitFor } from '../helpers/wait.js';

const experiments = fileURLToPath(new URL('../../experiments', import.meta.url));

/** The sum of one counter's series on a proxy's admin API whose labels include `labels`. */
async function counter(admin: string, name: string, labels: Record<string, string>): Promise<number> {
  const samples = parsePromText((await send(admin, { path: '/metrics' })).text(), new Set([name]));
  return samples.filter((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v)).reduce((n, s) => n + s.value, 0);
}

describe('the demo shop with mTLS between every sidecar', () => {
  let shop: Shop | undefined;
  before(async () => {
    shop = await startShop({ meshFile: join(experiments, 'mesh.yaml'), ephemeralPorts: true, log: () => {} });
  }, { timeout: 4 * STARTUP_TIMEOUT_MS });
  after(async () => {
    await shop?.stop();
  });

  it("has payments see x-faultmesh-source: checkout for checkout's calls, whatever the client sent", async () => {
    const bought = await send(shop!.ingress, { path: '/buy?item=2', headers: { host: 'frontend', 'x-customer-id': 'acme' } });
    assert.equal(bought.status, 200, bought.text());
    assert.equal(bought.json<{ order: { charge: { calledBy: string } } }>().order.charge.calledBy, 'checkout', 'the charge of a purchase came from checkout');
    // A client of checkout's sidecar claiming to be the frontend: the sidecar sends its own identity, and payments' sidecar names the verified one.
    const quote = await send(shop!.proxies.checkout, { path: REFUSED_PATH, headers: { host: 'payments', 'x-faultmesh-source': 'frontend' } });
    assert.equal(quote.status, 200, quote.text());
    assert.equal(quote.json<{ calledBy: string }>().calledBy, 'checkout');
  });

  it("refuses a call from the frontend's sidecar to payments with 403 FORBIDDEN, and counts it at payments' sidecar", async () => {
    const denied = () => counter(shop!.admins.payments, 'faultmesh_authz_denied_total', { destination: 'payments', source: 'frontend' });
    const before = await denied();
    const seen = await callThrough(shop!.proxies.frontend, 'payments', REFUSED_PATH);
    assert.deepEqual([seen.status, seen.code], [403, 'FORBIDDEN'], seen.message);
    assert.match(seen.message, /service "frontend" may not call service "payments"/);
    await waitFor(async () => (await denied()) === before + 1, "payments' sidecar counts the refusal, by caller");
  });

  it('registers every instance at its inbound listener, never at its app, and refuses plaintext there', async () => {
    const payments = shop!.instances.filter((i) => i.service === 'payments');
    assert.equal(payments.length, 5);
    const registered = (await send(shop!.control, { path: '/v1/registrations' })).json<{ registrations: Array<{ id: string; address: string }> }>().registrations;
    assert.deepEqual(new Map(registered.map((r) => [r.id, r.address])), new Map(shop!.instances.map((i) => [i.id, i.address])));
    for (const i of shop!.instances) assert.notEqual(i.address, i.app, `${i.id} is reached through its sidecar`);
    const refusals = () => counter(shop!.admins.payments, 'faultmesh_inbound_tls_failures_total', { reason: 'plaintext' });
    const before = await refusals();
    for (const i of payments) {
      // Plain HTTP straight to the listener, as a caller without a sidecar would: answered 400 MTLS_REQUIRED, never passed to the app.
      const plain = await send(`http://${i.address}`, { path: REFUSED_PATH, headers: { host: 'payments' } });
      assert.deepEqual([plain.status, plain.headers['x-faultmesh-error']], [400, 'MTLS_REQUIRED'], `${i.id}: ${plain.text()}`);
    }
    await waitFor(async () => (await refusals()) === before + payments.length, "payments' sidecar counts each plaintext connection it refused");
  });

  it('gives every proxy the identity of its own service, and shows it without any key material', async () => {
    const presented = await presentedIdentities(shop!.admins);
    assert.deepEqual(presented, Object.fromEntries(PROXIES.map((p) => [p.name, `spiffe://faultmesh.local/service/${p.name}`])), 'the ingress is "ingress"');
    const caKey = readFileSync(join(shop!.mtls.caDir, 'ca.key'), 'utf8');
    const keyBody = caKey.split('\n').filter((l) => l && !l.startsWith('-----')).join('');
    for (const p of PROXIES) {
      const health = await send(shop!.admins[p.name], { path: '/healthz' });
      const certificate = health.json<{ certificate?: { service: string; spiffeId: string; notAfter: string } }>().certificate;
      assert.equal(certificate?.service, p.name, `${p.name}: ${health.text()}`);
      assert.equal(certificate?.spiffeId, `spiffe://${shop!.mtls.trustDomain}/service/${p.name}`);
      assert.ok(Date.parse(certificate!.notAfter) > Date.now(), `${p.name}: its certificate is in force`);
      for (const path of ['/healthz', '/v1/services', '/metrics']) {
        const text = (await send(shop!.admins[p.name], { path })).text();
        assert.doesNotMatch(text, /-----BEGIN|PRIVATE KEY/, `${p.name} ${path} holds no PEM`);
        assert.ok(!text.includes(keyBody.slice(0, 40)), `${p.name} ${path} holds nothing of the CA key`);
      }
    }
    const issued = (service: string) => counter(shop!.control, 'faultmesh_control_certificates_issued_total', { service });
    for (const p of PROXIES) assert.ok((await issued(p.name)) >= 1, `the CA issued ${p.name} a certificate`);
  });

  it('removes its temporary CA directory, root key and all, when it stops', async () => {
    const dir = shop!.mtls.caDir;
    assert.ok(existsSync(join(dir, 'ca.key')), 'the CA is there while the shop runs');
    await shop!.stop();
    assert.ok(!existsSync(dir), `${dir} is gone`);
  });
});

describe("the demo's mTLS lines", () => {
  const mtls = { caDir: '/tmp/ca', trustDomain: 'faultmesh.local' };

  it('name the CA and every identity a proxy presents', () => {
    const lines = mtlsLines(mtls, { ingress: 'spiffe://faultmesh.local/service/ingress', payments: 'spiffe://faultmesh.local/service/payments' });
    assert.match(lines[0]!, /--ca-dir \/tmp\/ca, trust domain faultmesh\.local/);
    assert.match(lines[1]!, /^every proxy enrolled .*: spiffe:\/\/faultmesh\.local\/service\/ingress, spiffe:\/\/faultmesh\.local\/service\/payments$/);
  });

  it('say which proxy holds no certificate, or one for another service, instead of claiming all enrolled', () => {
    const lines = mtlsLines(mtls, { ingress: undefined, catalog: 'spiffe://faultmesh.local/service/payments', payments: 'spiffe://faultmesh.local/service/payments' });
    assert.equal(lines[1], 'warning: not every proxy holds the certificate of its service: ingress shows none, catalog shows spiffe://faultmesh.local/service/payments');
  });
});
