import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { DashboardState, MetricsFrame } from '../../control/ui/dashboard-model.js';
import { send } from '../helpers/http-client.js';
import { startMeshFixture, type MeshFixture } from '../helpers/mesh-fixture.js';
import { openPageStream, type PageStream } from './sse-reader.js';

const TOKEN = 'admin-ui-token';

describe('a proxy\u2019s own /ui on its admin listener', () => {
  let fx: MeshFixture;
  let page: PageStream;
  const admin = () => fx.proxy.adminUrl;
  const state = (pick: (s: DashboardState) => boolean) => page.next<DashboardState>('state', pick);
  const auth = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };

  before(async () => {
    fx = await startMeshFixture([{ service: 'payments', id: 'pay-1', region: 'eu-west' }], { proxy: { service: 'checkout', adminToken: TOKEN } });
    page = await openPageStream(admin());
  });
  after(async () => {
    page?.close();
    await fx?.stop();
  });

  it('serves the same page under the same CSP, and refuses a foreign Host', async () => {
    const r = await send(admin(), { path: '/ui' });
    assert.equal(r.status, 200);
    assert.match(String(r.headers['content-security-policy']), /script-src 'self'/);
    assert.equal((await send(admin(), { path: '/ui/events', headers: { host: 'rebound.example' } })).status, 403);
  });

  it('shows this proxy\u2019s instances, and a fault added on its admin API at once, removable here', async () => {
    const first = await state(() => true);
    assert.deepEqual([first.scope, first.tokenRequired, first.actions.removeFault], ['proxy', true, true]);
    assert.deepEqual(first.services.map((s) => [s.name, s.instances.map((i) => [i.id, i.health, i.region])]), [['payments', [['pay-1', 'healthy', 'eu-west']]]]);
    const added = await send(admin(), { method: 'POST', path: '/v1/faults', headers: auth, body: JSON.stringify({ id: 'local-503', target: 'payments', abort: { status: 503 }, ttl: '1m' }) });
    assert.equal(added.status, 201, added.text());
    const s = await state((x) => x.faults.length === 1);
    assert.deepEqual([s.faults[0]!.id, s.faults[0]!.action, s.faults[0]!.holder.kind], ['local-503', 'abort 503', 'ttl']);
  });

  it('counts this proxy\u2019s own calls from its registry into the edge rates', async () => {
    for (let i = 0; i < 5; i++) await send(fx.proxy.proxyUrl, { path: '/', headers: { host: 'payments' } });
    const frame = await page.next<MetricsFrame>('metrics', (m) => m.edges.some((e) => e.destination === 'payments' && e.errorRatio === 1));
    assert.equal(frame.edges.find((e) => e.destination === 'payments')!.source, 'checkout');
  });

  it('says a halt made on this admin is this proxy\u2019s own, and drops the faults from the page', async () => {
    assert.equal((await send(admin(), { method: 'POST', path: '/v1/halt', headers: { authorization: `Bearer ${TOKEN}` } })).status, 200);
    const s = await state((x) => x.halted);
    assert.deepEqual(s.faults, []);
    assert.match(s.haltedBy ?? '', /own admin API/);
    assert.equal((await send(admin(), { method: 'POST', path: '/v1/halt' })).status, 401, 'not without the admin token');
  });
});
