import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { holdsFor, waitFor } from '../../helpers/wait.js';
import { metric, proxyOn, roundTrip, seenOnAll, SharedFixture, type SharedServer } from './toxiproxy-fixture.js';

// Two `faultmesh toxiproxy --control` servers on one control plane: one set of proxies
// and toxics, whichever server a client talks to, each serving it on listeners of its own.
describe('two toxiproxy servers on one control plane', () => {
  const f = new SharedFixture();
  let a: SharedServer;
  let b: SharedServer;
  let upstream: string;
  before(async () => ({ a, b, upstream } = await f.pair()));
  beforeEach(async () => {
    for (const name of Object.keys((await a.api.get('/proxies')).json())) await a.api.del(`/proxies/${name}`);
    await seenOnAll([a, b], 'db', (p) => p === undefined, 'no proxy is left from the test before');
  });
  after(() => f.close());

  it('serves a proxy created on A through B, on a listener of its own, and A reads it back at once', async () => {
    const created = await a.api.post('/proxies', { name: 'db', listen: '127.0.0.1:0', upstream });
    assert.equal(created.status, 201, created.text());
    assert.equal((await proxyOn(a, 'db'))?.listen, created.json().listen, 'A reads its own write');
    await seenOnAll([b], 'db', (p) => p?.enabled === true, 'B serves the proxy made on A');
    const onB = (await proxyOn(b, 'db'))!;
    assert.notEqual(onB.listen, created.json().listen, 'each server binds a port of its own for port 0');
    const c = await f.loopback.dial(onB.listen);
    await roundTrip(c, 'through B');
    assert.equal(c.received().toString(), 'through B');
  });

  it('applies a latency toxic added on B to traffic through A', async () => {
    await a.api.post('/proxies', { name: 'db', upstream });
    await seenOnAll([b], 'db', (p) => p !== undefined, 'B has the proxy');
    const added = await b.api.post('/proxies/db/toxics', { type: 'latency', attributes: { latency: 400 } });
    assert.equal(added.status, 200, added.text());
    await seenOnAll([a], 'db', (p) => p?.toxics.length === 1, 'A has the toxic');
    const ms = await roundTrip(await f.loopback.dial((await proxyOn(a, 'db'))!.listen), 'slow');
    assert.ok(ms >= 390, `a round trip through A took ${ms.toFixed(0)} ms, with B's 400 ms toxic`);
  });

  it('answers 409 on B for a name A took, and 404 on A for a toxic B never made', async () => {
    await a.api.post('/proxies', { name: 'db', upstream });
    const again = await b.api.post('/proxies', { name: 'db', upstream });
    assert.equal(again.status, 409);
    assert.deepEqual(again.json(), { error: 'proxy already exists', status: 409 });
    const missing = await a.api.get('/proxies/db/toxics/nope');
    assert.deepEqual([missing.status, missing.json()], [404, { error: 'toxic not found', status: 404 }]);
    const bad = await b.api.post('/proxies/db/toxics', { type: 'lag' });
    assert.deepEqual([bad.status, bad.json()], [400, { error: 'invalid toxic type', status: 400 }]);
  });

  it('gives exactly one 201 to concurrent creates of one name on both servers', async () => {
    const replies = await Promise.all(Array.from({ length: 8 }, (_, i) => (i % 2 ? a : b).api.post('/proxies', { name: 'db', upstream })));
    assert.deepEqual(replies.map((r) => r.status).sort(), [201, 409, 409, 409, 409, 409, 409, 409]);
    const toxics = await Promise.all(Array.from({ length: 6 }, (_, i) => (i % 2 ? a : b).api.post('/proxies/db/toxics', { name: `t${i}`, type: 'latency' })));
    assert.ok(toxics.every((r) => r.status === 200), 'concurrent toxics of other names are all kept');
    await seenOnAll([a, b], 'db', (p) => p?.toxics.length === 6, 'no write lost another');
  });

  it('clears both servers with /reset on one: every toxic gone, every proxy enabled', async () => {
    await a.api.post('/proxies', { name: 'db', upstream, enabled: false });
    await a.api.post('/proxies/db/toxics', { type: 'timeout' });
    await seenOnAll([b], 'db', (p) => p?.toxics.length === 1 && p.enabled === false, 'B has the disabled proxy and its toxic');
    assert.equal((await b.api.post('/reset')).status, 204);
    await seenOnAll([a, b], 'db', (p) => p?.enabled === true && p.toxics.length === 0, 'both are reset');
  });

  it('ends a toxic with a ttl on both servers at its end, and counts it on each /metrics', async () => {
    await a.api.post('/proxies', { name: 'db', upstream });
    const r = await a.api.post('/proxies/db/toxics', { type: 'latency', attributes: { latency: 1000 }, ttl: '30s' });
    assert.equal(r.json().expires_at, new Date(f.control.clock.now() + 30_000).toISOString());
    await seenOnAll([b], 'db', (p) => p?.toxics[0]?.expires_at === r.json().expires_at, 'B shows the same end');
    const before = await metric(b, 'faultmesh_toxiproxy_toxic_leases_ended_total');
    await f.control.clock.advance(29_999);
    await holdsFor(async () => (await proxyOn(a, 'db'))?.toxics.length === 1, 50, 'the toxic holds a millisecond before its end');
    await f.control.clock.advance(1);
    await seenOnAll([a, b], 'db', (p) => p?.toxics.length === 0, 'the toxic is gone from both');
    await waitFor(async () => (await metric(b, 'faultmesh_toxiproxy_toxic_leases_ended_total')) === before! + 1, 'B counts the lease that ended');
  });

  it('ends a leased toxic on time though the server that made it is gone', async () => {
    const maker = await f.server();
    await maker.api.post('/proxies', { name: 'db', upstream });
    await maker.api.post('/proxies/db/toxics', { type: 'bandwidth', attributes: { rate: 1 }, ttl: '10s' });
    await seenOnAll([b], 'db', (p) => p?.toxics.length === 1, 'B has the toxic');
    await f.loopback.stop(maker.server);
    await f.control.clock.advance(10_000);
    await seenOnAll([a, b], 'db', (p) => p?.toxics.length === 0, "the toxic ended at its lease, its maker's death notwithstanding");
  });

  it('renews a lease through the other server: PATCH with a ttl moves the end for both', async () => {
    await a.api.post('/proxies', { name: 'db', upstream });
    await a.api.post('/proxies/db/toxics', { type: 'timeout', ttl: '10s' });
    await f.control.clock.advance(8_000);
    const renewed = await b.api.patch('/proxies/db/toxics/timeout_downstream', { ttl: '10s' });
    assert.equal(renewed.json().expires_at, new Date(f.control.clock.now() + 10_000).toISOString());
    await seenOnAll([a], 'db', (p) => p?.toxics[0]?.expires_at === renewed.json().expires_at, 'A has the new end');
    await f.control.clock.advance(2_000);
    await holdsFor(async () => (await proxyOn(a, 'db'))?.toxics.length === 1, 100, 'the first lease ended, the toxic did not');
    await f.control.clock.advance(8_000);
    await seenOnAll([a, b], 'db', (p) => p?.toxics.length === 0, 'the renewed lease ended');
  });

  it('shows the same set on GET /v1/toxiproxy of the control plane, with its revision', async () => {
    await b.api.post('/populate', [{ name: 'db', upstream, toxics: [{ type: 'slicer', attributes: { average_size: 10 } }] }]);
    const set = (await f.control.call('GET', '/v1/toxiproxy')).json<any>();
    assert.equal(set.proxies.length, 1);
    assert.equal(set.proxies[0].listen, '127.0.0.1:0', 'the control plane keeps the listen as asked');
    assert.equal(set.proxies[0].toxics[0].name, 'slicer_downstream');
    assert.equal(await metric(b, 'faultmesh_toxiproxy_control_revision'), set.revision);
    assert.equal(await metric(a, 'faultmesh_toxiproxy_control_connected'), 1);
  });
});
