import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { waitFor } from '../../helpers/wait.js';
import { ApiFixture, roundTrip, type Api } from './api-fixture.js';

// Plain HTTP calls as Toxiproxy's README documents them (HTTP API, Endpoints), with the
// status codes and bodies its api.go answers.
describe('the Toxiproxy API, called as its README documents it', () => {
  const f = new ApiFixture();
  let api: Api;
  let upstream: string;
  before(async () => {
    ({ api } = await f.start());
    upstream = (await f.echo()).address;
  });
  after(() => f.close());

  it('creates a proxy with 201, enabled by default, listening where the system picked and showing that port', async () => {
    const r = await api.post('/proxies', { name: 'redis', listen: 'localhost:0', upstream });
    assert.equal(r.status, 201);
    assert.match(String(r.headers['content-type']), /^application\/json/);
    const p = r.json();
    assert.deepEqual(Object.keys(p), ['name', 'listen', 'upstream', 'enabled', 'toxics']);
    assert.equal(p.name, 'redis');
    assert.equal(p.upstream, upstream);
    assert.equal(p.enabled, true);
    assert.deepEqual(p.toxics, []);
    assert.match(String(p.listen), /^127\.0\.0\.1:\d+$/);
    assert.notEqual(p.listen, '127.0.0.1:0');
    const c = await f.dial(String(p.listen));
    await roundTrip(c, 'PING');
    assert.equal(c.received().toString(), 'PING');
  });

  it('lists proxies as an object keyed by name, and shows one by name', async () => {
    await api.post('/proxies', { name: 'mysql', upstream });
    const list = (await api.get('/proxies')).json<Record<string, { name: string }>>();
    assert.deepEqual(Object.keys(list), ['mysql', 'redis']);
    assert.equal(list.redis!.name, 'redis');
    const one = await api.get('/proxies/mysql');
    assert.equal(one.status, 200);
    assert.equal(one.json().name, 'mysql');
  });

  it('refuses a second proxy of the same name with 409 and Toxiproxy\'s body', async () => {
    const r = await api.post('/proxies', { name: 'redis', upstream });
    assert.equal(r.status, 409);
    assert.deepEqual(r.json(), { error: 'proxy already exists', status: 409 });
  });

  it('answers 404 with Toxiproxy\'s body for a proxy or a toxic that does not exist', async () => {
    assert.deepEqual((await api.get('/proxies/nope')).json(), { error: 'proxy not found', status: 404 });
    assert.equal((await api.del('/proxies/nope')).status, 404);
    assert.equal((await api.post('/proxies/nope/toxics', { type: 'latency' })).status, 404);
    const t = await api.get('/proxies/redis/toxics/nope');
    assert.equal(t.status, 404);
    assert.deepEqual(t.json(), { error: 'toxic not found', status: 404 });
    assert.equal((await api.patch('/proxies/redis/toxics/nope', { toxicity: 0.5 })).status, 404);
    assert.equal((await api.del('/proxies/redis/toxics/nope')).status, 404);
  });

  it('answers bad JSON and missing fields with 400 and Toxiproxy\'s messages', async () => {
    const cases: [string, unknown, RegExp][] = [
      ['/proxies', '{"name": ', /^bad request body: /],
      ['/proxies', '', /^bad request body: EOF$/],
      ['/proxies', { upstream }, /^missing required field: name$/],
      ['/proxies', { name: 'x' }, /^missing required field: upstream$/],
      ['/proxies', { name: 5, upstream }, /^bad request body: name: /],
      ['/proxies', { name: 'x', upstream: 'no-port' }, /^bad request body: upstream: /],
      ['/populate', [{ name: 'a', upstream }, { name: 'b' }], /^missing required field: upstream at proxy 2$/],
      ['/populate', { name: 'a' }, /^bad request body: expected a JSON array/],
    ];
    for (const [path, body, message] of cases) {
      const r = await api.post(path, body);
      assert.equal(r.status, 400, `${path} ${JSON.stringify(body)}`);
      assert.equal(r.json().status, 400);
      assert.match(String(r.json().error), message, `${path} ${JSON.stringify(body)}`);
    }
    assert.equal((await api.get('/proxies/b')).status, 404, 'a /populate with a bad entry created none of them');
  });

  it('adds a toxic with Toxiproxy\'s defaults: downstream, toxicity 1, named <type>_<stream>, answered with 200', async () => {
    const r = await api.post('/proxies/redis/toxics', { type: 'latency', attributes: { latency: 10 } });
    assert.equal(r.status, 200);
    assert.deepEqual(r.json(), { attributes: { latency: 10, jitter: 0 }, name: 'latency_downstream', type: 'latency', stream: 'downstream', toxicity: 1 });
    assert.deepEqual((await api.get('/proxies/redis/toxics/latency_downstream')).json().attributes, { latency: 10, jitter: 0 });
  });

  it('refuses a toxic of a name the proxy has, on either stream, with 409', async () => {
    const r = await api.post('/proxies/redis/toxics', { name: 'latency_downstream', type: 'bandwidth', stream: 'upstream', attributes: { rate: 1 } });
    assert.equal(r.status, 409);
    assert.deepEqual(r.json(), { error: 'toxic already exists', status: 409 });
  });

  it('answers a bad toxic with 400 and Toxiproxy\'s body: stream, type, attributes, toxicity', async () => {
    const cases: [unknown, string | RegExp][] = [
      [{ type: 'latency', stream: 'sideways' }, 'stream was invalid, can be either upstream or downstream'],
      [{ type: 'lag' }, 'invalid toxic type'],
      [{}, 'invalid toxic type'],
      [{ name: 'bad', type: 'latency', attributes: { latency: 1.5 } }, /^bad request body: attributes\.latency: /],
      [{ name: 'bad', type: 'latency', attributes: { latency: '100' } }, /^bad request body: attributes\.latency: /],
      [{ name: 'bad', type: 'slicer', attributes: {} }, /^bad request body: attributes\.average_size: /],
      [{ name: 'bad', type: 'latency', attributes: [] }, /^bad request body: attributes: /],
      [{ name: 'bad', type: 'latency', toxicity: 50 }, /^bad request body: toxicity: /],
      [{ name: 'bad', type: 'latency', toxicity: 'half' }, /^bad request body: toxicity: /],
      // Toxiproxy checks the name before the attributes: a duplicate with bad attributes is a 409.
      [{ type: 'latency', attributes: { latency: 1.5 } }, 'toxic already exists'],
      ['not json', /^bad request body: /],
    ];
    for (const [body, message] of cases) {
      const r = await api.post('/proxies/redis/toxics', body);
      const b = r.json();
      assert.equal(r.status, b.error === 'toxic already exists' ? 409 : 400, JSON.stringify(body));
      assert.equal(b.status, r.status);
      if (typeof message === 'string') assert.equal(b.error, message, JSON.stringify(body));
      else assert.match(String(b.error), message, JSON.stringify(body));
    }
    assert.equal((await api.get('/proxies/redis/toxics')).json<unknown[]>().length, 1, 'no bad toxic was added');
  });

  it('takes the stream in any case, as Toxiproxy parses it', async () => {
    const r = await api.post('/proxies/mysql/toxics', { type: 'timeout', stream: 'UpStream' });
    assert.equal(r.status, 200);
    assert.equal(r.json().name, 'timeout_upstream');
    assert.equal(r.json().stream, 'upstream');
    assert.equal((await api.del('/proxies/mysql/toxics/timeout_upstream')).status, 204);
  });

  it('updates a toxic with PATCH, merging attributes and keeping the toxicity when none is given', async () => {
    const r = await api.patch('/proxies/redis/toxics/latency_downstream', { attributes: { jitter: 5 } });
    assert.equal(r.status, 200);
    assert.deepEqual(r.json().attributes, { latency: 10, jitter: 5 });
    assert.equal(r.json().toxicity, 1);
  });

  it('updates a toxic with POST as older clients do, ignoring name, type and stream in the body', async () => {
    const r = await api.post('/proxies/redis/toxics/latency_downstream', { name: 'other', type: 'bandwidth', stream: 'upstream', toxicity: 0.5, attributes: { latency: 20 } });
    assert.equal(r.status, 200);
    assert.deepEqual(r.json(), { attributes: { latency: 20, jitter: 5 }, name: 'latency_downstream', type: 'latency', stream: 'downstream', toxicity: 0.5 });
    assert.equal((await api.patch('/proxies/redis/toxics/latency_downstream', { attributes: { latency: -1 } })).status, 400);
  });

  it('lists upstream toxics before downstream ones, each in the order added', async () => {
    await api.post('/proxies/redis/toxics', { name: 'up2', type: 'slicer', stream: 'upstream', attributes: { average_size: 10 } });
    await api.post('/proxies/redis/toxics', { name: 'up1', type: 'latency', stream: 'upstream' });
    const names = (await api.get('/proxies/redis/toxics')).json<{ name: string }[]>().map((t) => t.name);
    assert.deepEqual(names, ['up2', 'up1', 'latency_downstream']);
    assert.deepEqual((await api.get('/proxies/redis')).json<{ toxics: { name: string }[] }>().toxics.map((t) => t.name), names);
  });

  it('removes a toxic with 204', async () => {
    const r = await api.del('/proxies/redis/toxics/up2');
    assert.equal(r.status, 204);
    assert.equal(r.body.length, 0);
    assert.equal((await api.get('/proxies/redis/toxics/up2')).status, 404);
  });

  it('disables a proxy with PATCH enabled: false, closing its open connections and its listener', async () => {
    const p = (await api.get('/proxies/mysql')).json();
    const c = await f.dial(String(p.listen));
    await roundTrip(c, 'x');
    const r = await api.patch('/proxies/mysql', { enabled: false });
    assert.equal(r.status, 200);
    assert.equal(r.json().enabled, false);
    assert.equal(r.json().listen, p.listen, 'a disabled proxy keeps its address');
    await c.closed;
    await assert.rejects(f.dial(String(p.listen)), /ECONNREFUSED/);
  });

  it('re-enables a proxy with POST (the older update) on the port it had', async () => {
    const p = (await api.get('/proxies/mysql')).json();
    const r = await api.post('/proxies/mysql', { enabled: true });
    assert.equal(r.status, 200);
    assert.equal(r.json().enabled, true);
    assert.equal(r.json().listen, p.listen);
    await roundTrip(await f.dial(String(p.listen)), 'back');
  });

  it('moves a proxy to a new upstream with PATCH, restarting it on the same port', async () => {
    const other = await f.upstream((s) => s.on('data', () => s.write('other')));
    const before = (await api.get('/proxies/mysql')).json();
    const old = await f.dial(String(before.listen));
    const r = await api.patch('/proxies/mysql', { upstream: other.address });
    assert.equal(r.json().upstream, other.address);
    assert.equal(r.json().listen, before.listen);
    await old.closed;
    const c = await f.dial(String(before.listen));
    c.socket.write('?');
    await waitFor(() => c.received().toString() === 'other', 'the new upstream answered');
  });

  it('refuses a bad update with 400 and leaves the proxy as it was', async () => {
    const r = await api.patch('/proxies/mysql', { listen: 'nowhere' });
    assert.equal(r.status, 400);
    assert.match(String(r.json().error), /^bad request body: listen: /);
    assert.equal((await api.get('/proxies/mysql')).json().enabled, true);
  });

  it('resets: every toxic removed, every proxy enabled again, answered with 204', async () => {
    await api.patch('/proxies/mysql', { enabled: false });
    const r = await api.post('/reset');
    assert.equal(r.status, 204);
    const all = (await api.get('/proxies')).json<Record<string, { enabled: boolean; toxics: unknown[] }>>();
    for (const [name, p] of Object.entries(all)) {
      assert.equal(p.enabled, true, name);
      assert.deepEqual(p.toxics, [], name);
    }
  });

  it('answers /version as Toxiproxy writes it: JSON with its own content type', async () => {
    const r = await api.get('/version');
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-type'], 'application/json;charset=utf-8');
    assert.equal(r.text(), '{"version": "faultmesh-0.0.0-test"}\n');
    assert.equal(r.headers['x-faultmesh-toxiproxy-api'], '2.12.0');
  });

  it('answers an unknown route with 404 and a method a route lacks with 405, both in Toxiproxy\'s error shape', async () => {
    const missing = await api.get('/nothing');
    assert.equal(missing.status, 404);
    assert.equal(missing.json().status, 404);
    const wrong = await send405();
    assert.equal(wrong.status, 405);
    assert.equal(wrong.json().status, 405);
  });
  const send405 = () => api.patch('/proxies', { name: 'x' });

  it('answers /healthz with the proxies and toxics it holds', async () => {
    await api.post('/proxies/redis/toxics', { type: 'latency', ttl: '1h' });
    const h = (await api.get('/healthz')).json();
    assert.equal(h.status, 'ok');
    assert.deepEqual([h.proxies, h.enabled, h.toxics, h.leasedToxics], [2, 2, 1, 1]);
  });

  it('deletes a proxy with 204 and closes its listener', async () => {
    const p = (await api.get('/proxies/redis')).json();
    assert.equal((await api.del('/proxies/redis')).status, 204);
    assert.equal((await api.get('/proxies/redis')).status, 404);
    await assert.rejects(f.dial(String(p.listen)), /ECONNREFUSED/);
  });
});
