import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Toxiproxy, type Proxy, type ToxicType, type ToxicDirection } from 'toxiproxy-node-client';
import { holdsFor, waitFor } from '../../helpers/wait.js';
import { ApiFixture, roundTrip } from './api-fixture.js';

// The real toxiproxy-node-client (npm), unchanged, against faultmesh: what a Node test suite
// written for Toxiproxy does. Effects on traffic are measured coarsely here (toxiproxy/tcp's
// own tests measure them closely), each toxic removed after and traffic seen to be restored.
describe('toxiproxy-node-client against faultmesh toxiproxy', () => {
  const f = new ApiFixture();
  let client: Toxiproxy;
  let proxy: Proxy;
  before(async () => {
    const { server } = await f.start();
    client = new Toxiproxy(server.url);
    const upstream = (await f.echo()).address;
    proxy = await client.createProxy({ name: 'echo', listen: '127.0.0.1:0', upstream });
  });
  after(() => f.close());

  const toxic = (type: ToxicType, attributes: Record<string, number>, stream: ToxicDirection = 'downstream') => proxy.addToxic({ name: `${type}_${stream}`, type, stream, toxicity: 1, attributes });

  /** The echo answers quickly: traffic is as it was before any toxic. */
  const restored = async () => {
    const c = await f.dial(proxy.listen);
    assert.ok((await roundTrip(c, 'ping')) < 250, 'the echo came back without the toxic');
    c.socket.destroy();
    assert.deepEqual((await client.get('echo')).toJson(), proxy.toJson());
  };

  it('creates a proxy the client can read back, listening on a real port', async () => {
    assert.equal(proxy.name, 'echo');
    assert.equal(proxy.enabled, true);
    assert.match(proxy.listen, /^127\.0\.0\.1:[1-9]\d*$/);
    assert.deepEqual(Object.keys(await client.getAll()), ['echo']);
    await restored();
  });

  it('sees a second proxy of one name refused (409)', async () => {
    await assert.rejects(client.createProxy({ name: 'echo', listen: '127.0.0.1:0', upstream: '127.0.0.1:1' }), /status code 409/);
  });

  it('adds latency to each round trip, and reads the toxic back', async () => {
    const t = await toxic('latency', { latency: 300, jitter: 0 });
    assert.deepEqual(t.toJson(), { attributes: { latency: 300, jitter: 0 }, name: 'latency_downstream', stream: 'downstream', toxicity: 1, type: 'latency' });
    assert.deepEqual((await proxy.getToxic('latency_downstream')).attributes, { latency: 300, jitter: 0 });
    const ms = await roundTrip(await f.dial(proxy.listen), 'slow');
    assert.ok(ms >= 290, `a round trip took ${ms.toFixed(0)} ms, at least the 300 ms of latency`);
    await t.remove();
    await restored();
  });

  it('updates a toxic (the client POSTs), and the new value takes effect', async () => {
    const t = await toxic('latency', { latency: 2000, jitter: 0 });
    const updated = await t.update({ ...t.toJson(), attributes: { latency: 200, jitter: 0 } });
    assert.deepEqual(updated.attributes, { latency: 200, jitter: 0 });
    const ms = await roundTrip(await f.dial(proxy.listen), 'x');
    assert.ok(ms >= 190 && ms < 1500, `a round trip took ${ms.toFixed(0)} ms: the 200 ms of the update, not the 2 s before it`);
    await updated.remove();
    await restored();
  });

  it('limits bandwidth to its rate in KB/s', async () => {
    const t = await toxic('bandwidth', { rate: 50 });
    const c = await f.dial(proxy.listen);
    const started = performance.now();
    const ms = await roundTrip(c, 'z'.repeat(25_000));
    // 25 KB at 50 KB/s is 500 ms.
    assert.ok(ms >= 350, `25 KB came back in ${ms.toFixed(0)} ms, not at 50 KB/s`);
    assert.ok(performance.now() - started < 10_000);
    await t.remove();
    await restored();
  });

  it('delays the close of a connection with slow_close', async () => {
    const t = await toxic('slow_close', { delay: 300 });
    const c = await f.dial(proxy.listen);
    await roundTrip(c, 'bye');
    const ended = performance.now();
    c.socket.end();
    const { at } = await c.closed;
    assert.ok(at - ended >= 280, `the close came ${(at - ended).toFixed(0)} ms after the client's end, not after 300 ms`);
    await t.remove();
    await restored();
  });

  it('holds data and closes after its timeout with timeout', async () => {
    const t = await toxic('timeout', { timeout: 300 }, 'upstream');
    const c = await f.dial(proxy.listen);
    const sent = performance.now();
    c.socket.write('lost');
    const { at } = await c.closed;
    assert.equal(c.received().length, 0, 'nothing got through');
    assert.ok(at - sent >= 280, `closed after ${(at - sent).toFixed(0)} ms, not the 300 ms timeout`);
    await t.remove();
    await restored();
  });

  it('holds data forever with timeout 0, until the toxic is removed', async () => {
    const t = await toxic('timeout', { timeout: 0 }, 'upstream');
    const c = await f.dial(proxy.listen);
    c.socket.write('held');
    await holdsFor(() => c.received().length === 0 && !c.isClosed(), 400, 'nothing arrives and the connection stays open');
    await t.remove();
    await restored();
  });

  it('resets the connection with reset_peer: the client sees ECONNRESET', async () => {
    const t = await toxic('reset_peer', { timeout: 0 }, 'upstream');
    const c = await f.dial(proxy.listen);
    c.socket.write('reset me');
    assert.equal((await c.closed).code, 'ECONNRESET');
    await t.remove();
    await restored();
  });

  it('delivers data in pieces with slicer', async () => {
    const t = await toxic('slicer', { average_size: 10, size_variation: 0, delay: 20_000 });
    const c = await f.dial(proxy.listen);
    await roundTrip(c, 's'.repeat(100));
    assert.ok(c.chunks.length >= 5, `100 bytes came in ${c.chunks.length} pieces, not in slices of 10`);
    await t.remove();
    await restored();
  });

  it('closes the connection after its bytes with limit_data', async () => {
    const t = await toxic('limit_data', { bytes: 10 });
    const c = await f.dial(proxy.listen);
    c.socket.write('0123456789abcdefghij');
    await c.closed;
    assert.equal(c.received().toString(), '0123456789');
    await t.remove();
    await restored();
  });

  it('disables a proxy with update, closing open connections, and reset enables it again', async () => {
    const c = await f.dial(proxy.listen);
    await roundTrip(c, 'open');
    const down = await proxy.update({ ...proxy.toJson(), enabled: false });
    assert.equal(down.enabled, false);
    await c.closed;
    await assert.rejects(f.dial(proxy.listen), /ECONNREFUSED/);
    await toxic('latency', { latency: 100, jitter: 0 });
    await client.reset();
    const after = await client.get('echo');
    assert.equal(after.enabled, true);
    assert.deepEqual((await client.getApi().get(`${client.host}/proxies/echo/toxics`)).data, []);
    await restored();
  });

  it('populates twice to the same proxies, and reads the version', async () => {
    const body = [{ name: 'echo', listen: proxy.listen, upstream: proxy.upstream }];
    const first = await client.populate(body);
    const second = await client.populate(body);
    assert.deepEqual(first.echo!.toJson(), proxy.toJson());
    assert.deepEqual(second.echo!.toJson(), proxy.toJson());
    assert.match(await client.getVersion(), /^\{"version": "faultmesh-/);
    await waitFor(async () => (await client.get('echo')).enabled, 'the proxy is still enabled');
  });
});
