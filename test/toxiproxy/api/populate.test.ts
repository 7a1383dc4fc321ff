import assert from 'node:assert/strict';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { waitFor } from '../../helpers/wait.js';
import { ApiFixture, roundTrip, type Api } from './api-fixture.js';

interface ProxyJson {
  name: string;
  listen: string;
  upstream: string;
  enabled: boolean;
  toxics: { name: string }[];
}

describe('POST /populate', () => {
  const f = new ApiFixture();
  let api: Api;
  let a: string;
  let b: string;
  let taken: Server;
  before(async () => {
    ({ api } = await f.start());
    a = (await f.upstream((s) => s.on('data', () => s.write('A')))).address;
    b = (await f.upstream((s) => s.on('data', () => s.write('B')))).address;
    taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  });
  after(async () => {
    await new Promise((resolve) => taken.close(resolve));
    await f.close();
  });

  const populate = async (body: unknown) => {
    const r = await api.post('/populate', body);
    return { status: r.status, body: r.json<{ proxies: ProxyJson[]; error?: string; status?: number }>() };
  };

  it('creates every proxy and answers 201 with them, in the order given', async () => {
    const r = await populate([
      { name: 'web', listen: '127.0.0.1:0', upstream: a },
      { name: 'db', listen: '127.0.0.1:0', upstream: a, enabled: false },
    ]);
    assert.equal(r.status, 201);
    assert.deepEqual(r.body.proxies.map((p) => [p.name, p.enabled]), [['web', true], ['db', false]]);
  });

  it('is idempotent: the same list again keeps each proxy, its port, its toxics and its open connections', async () => {
    const web = (await api.get('/proxies/web')).json<ProxyJson>();
    await api.post('/proxies/web/toxics', { type: 'latency', attributes: { latency: 1 } });
    const c = await f.dial(web.listen);
    await roundTrip(c, '1');
    const r = await populate([
      { name: 'web', listen: '127.0.0.1:0', upstream: a },
      { name: 'db', listen: '127.0.0.1:0', upstream: a, enabled: false },
    ]);
    assert.equal(r.status, 201);
    const again = r.body.proxies.find((p) => p.name === 'web')!;
    assert.equal(again.listen, web.listen);
    assert.deepEqual(again.toxics.map((t) => t.name), ['latency_downstream']);
    await roundTrip(c, '2');
    assert.equal(c.isClosed(), false, 'the open connection was left alone');
  });

  it('replaces a proxy whose upstream changed: new connections reach the new upstream, and its toxics are gone as in Toxiproxy', async () => {
    const before = (await api.get('/proxies/web')).json<ProxyJson>();
    const old = await f.dial(before.listen);
    const r = await populate([{ name: 'web', listen: before.listen, upstream: b }]);
    assert.equal(r.status, 201);
    const web = r.body.proxies[0]!;
    assert.equal(web.upstream, b);
    assert.equal(web.listen, before.listen);
    assert.deepEqual(web.toxics, []);
    await old.closed;
    const c = await f.dial(web.listen);
    c.socket.write('?');
    await waitFor(() => c.received().toString() === 'B', 'the new upstream answered');
  });

  it('sets the toxics a proxy entry lists (faultmesh), and checks every one before touching any proxy', async () => {
    const bad = await populate([
      { name: 'web', upstream: b, toxics: [{ type: 'latency', attributes: { latency: 5 } }] },
      { name: 'db', upstream: a, toxics: [{ type: 'latency', attributes: { latency: 'slow' } }] },
    ]);
    assert.equal(bad.status, 400);
    assert.match(String(bad.body.error), /^bad request body: \[1\]\.toxics\[0\]\.attributes\.latency: /);
    assert.deepEqual((await api.get('/proxies/web/toxics')).json(), [], 'the good entry was not applied either');
    const good = await populate([{ name: 'web', upstream: b, toxics: [{ type: 'latency', attributes: { latency: 5 } }] }]);
    assert.equal(good.status, 201);
    assert.deepEqual(good.body.proxies[0]!.toxics.map((t) => t.name), ['latency_downstream']);
  });

  it('enables or disables a kept proxy when the entry says so, and leaves it as it is when it does not', async () => {
    assert.equal((await populate([{ name: 'db', upstream: a }])).body.proxies[0]!.enabled, false);
    assert.equal((await populate([{ name: 'db', upstream: a, enabled: true }])).body.proxies[0]!.enabled, true);
  });

  it('answers a proxy that cannot listen with Toxiproxy\'s error body and the proxies done before it', async () => {
    const port = (taken.address() as AddressInfo).port;
    const r = await populate([
      { name: 'fresh', upstream: a },
      { name: 'clash', listen: `127.0.0.1:${port}`, upstream: a },
    ]);
    assert.equal(r.status, 500);
    assert.equal(r.body.status, 500);
    assert.match(String(r.body.error), /already in use/);
    assert.deepEqual(r.body.proxies.map((p) => p.name), ['fresh']);
    assert.equal((await api.get('/proxies/clash')).status, 404);
  });
});
