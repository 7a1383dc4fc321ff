import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { fakeTimers, type FakeTimers } from '../../helpers/fake-timers.js';
import { ApiFixture, roundTrip, type Api } from './api-fixture.js';

// faultmesh's leases on toxics: a toxic with a `ttl` removes itself when it ends,
// unless a client renews it. The leases run on a fake clock; the traffic on a real one.
describe('a toxic with a ttl', () => {
  const f = new ApiFixture();
  let clock: FakeTimers;
  let api: Api;
  let listen: string;
  before(async () => {
    clock = fakeTimers();
    ({ api } = await f.start({ timers: clock }));
    const upstream = (await f.echo()).address;
    listen = (await api.post('/proxies', { name: 'db', upstream })).json<{ listen: string }>().listen;
  });
  beforeEach(() => api.post('/reset'));
  after(() => f.close());

  const toxics = async () => (await api.get('/proxies/db/toxics')).json<{ name: string; expires_at?: string }[]>();
  const at = (ms: number) => new Date(clock.now() + ms).toISOString();

  it('shows when it ends, and removes itself then, restoring the traffic', async () => {
    const r = await api.post('/proxies/db/toxics', { type: 'latency', attributes: { latency: 1000 }, ttl: '30s' });
    assert.equal(r.status, 200);
    assert.equal(r.json().expires_at, at(30_000));
    assert.ok((await roundTrip(await f.dial(listen), 'slow')) >= 990, 'the toxic is in force');
    await clock.advance(29_999);
    assert.equal((await toxics()).length, 1, 'still there a millisecond before its end');
    await clock.advance(1);
    assert.deepEqual(await toxics(), []);
    assert.ok((await roundTrip(await f.dial(listen), 'fast')) < 500, 'the traffic is restored');
    assert.match((await api.get('/metrics')).text(), /^faultmesh_toxiproxy_toxic_leases_ended_total 1$/m);
  });

  it('takes a ttl in seconds as a number', async () => {
    const r = await api.post('/proxies/db/toxics', { type: 'timeout', ttl: 5 });
    assert.equal(r.json().expires_at, at(5_000));
    await clock.advance(5_000);
    assert.deepEqual(await toxics(), []);
  });

  it('is renewed by a PATCH with a ttl, which ends it that long from now', async () => {
    await api.post('/proxies/db/toxics', { type: 'latency', ttl: '30s' });
    await clock.advance(20_000);
    const r = await api.patch('/proxies/db/toxics/latency_downstream', { ttl: '30s' });
    assert.equal(r.json().expires_at, at(30_000));
    await clock.advance(29_000);
    assert.equal((await toxics()).length, 1, 'the first lease would have ended 19 s ago');
    await clock.advance(1_000);
    assert.deepEqual(await toxics(), []);
  });

  it('keeps its end through a PATCH without a ttl', async () => {
    await api.post('/proxies/db/toxics', { type: 'latency', ttl: '10s' });
    const end = at(10_000);
    await clock.advance(5_000);
    const r = await api.patch('/proxies/db/toxics/latency_downstream', { attributes: { latency: 5 } });
    assert.equal(r.json().expires_at, end);
    await clock.advance(5_000);
    assert.deepEqual(await toxics(), []);
  });

  it('ends with its toxic: one removed and created again without a ttl stays', async () => {
    await api.post('/proxies/db/toxics', { type: 'latency', ttl: '10s' });
    await api.del('/proxies/db/toxics/latency_downstream');
    assert.equal(clock.pending(), 0, 'the lease was disarmed');
    await api.post('/proxies/db/toxics', { type: 'latency' });
    await clock.advance(60_000);
    assert.deepEqual((await toxics()).map((t) => [t.name, t.expires_at]), [['latency_downstream', undefined]]);
  });

  it('is disarmed by /reset and by deleting its proxy', async () => {
    await api.post('/proxies/db/toxics', { type: 'latency', ttl: '10s' });
    await api.post('/reset');
    assert.equal(clock.pending(), 0);
    const upstream = (await f.echo()).address;
    await api.post('/proxies', { name: 'gone', upstream, toxics: [{ type: 'latency', ttl: '10s' }] });
    assert.equal(clock.pending(), 1);
    await api.del('/proxies/gone');
    assert.equal(clock.pending(), 0);
  });

  it('refuses a ttl that is not a duration, is 0, or is longer than 24h, with 400', async () => {
    for (const ttl of ['forever', 0, '0s', '25h', -1, true]) {
      const r = await api.post('/proxies/db/toxics', { type: 'latency', ttl });
      assert.equal(r.status, 400, JSON.stringify(ttl));
      assert.match(String(r.json().error), /^bad request body: ttl: /, JSON.stringify(ttl));
    }
    assert.deepEqual(await toxics(), []);
  });
});
