import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import seedrandom from 'seedrandom';
import type { TcpProxy } from '../../../toxiproxy/tcp/index.js';
import { holdsFor, waitFor } from '../../helpers/wait.js';
import { receive, roundTrip, TcpFixture, toxic, type Upstream } from './tcp-fixture.js';

describe('toxicity, and toxics changed on open connections', () => {
  const f = new TcpFixture();
  after(() => f.close());

  /** Whether a downstream limit_data of 1 byte hit a fresh connection: "h" then a close, or the whole echo. */
  async function limited(proxy: TcpProxy): Promise<boolean> {
    const c = await f.dial(proxy);
    c.socket.end('hello');
    await c.closed;
    const got = c.received().toString();
    assert.ok(got === 'h' || got === 'hello', `received "${got}"`);
    return got === 'h';
  }

  async function limitedProxy(toxicity: number, random?: () => number): Promise<TcpProxy> {
    const proxy = await f.proxy(await f.echo(), random ? { random } : {});
    proxy.setToxics([toxic('limit_data', { bytes: 1 }, { toxicity })]);
    return proxy;
  }

  it('toxicity 0 never applies and 1 always does', async () => {
    const never = await limitedProxy(0);
    const always = await limitedProxy(1);
    for (let i = 0; i < 15; i++) {
      assert.equal(await limited(never), false);
      assert.equal(await limited(always), true);
    }
    assert.deepEqual(never.stats().byToxic, { limit_data_downstream: { connections: 0, active: 0 } });
    assert.equal(always.stats().byToxic.limit_data_downstream!.connections, 15);
  });

  it('a seeded toxicity of 0.5 picks the connections its seed says, about half of them', async () => {
    const proxy = await limitedProxy(0.5, seedrandom('half'));
    const seen: boolean[] = [];
    for (let i = 0; i < 80; i++) seen.push(await limited(proxy));
    // One roll per connection (one toxic on one link), in the order they opened.
    const replay = seedrandom('half');
    assert.deepEqual(seen, seen.map(() => replay() < 0.5));
    const hits = seen.filter(Boolean).length;
    assert.ok(hits >= 25 && hits <= 55, `${hits} of 80 connections affected`);
    assert.equal(proxy.stats().byToxic.limit_data_downstream!.connections, hits);
  });

  it('a toxic on one stream leaves the other alone', async () => {
    let got = '';
    const up: Upstream = await f.upstream((s) => {
      s.write('welcome');
      s.on('data', (d) => (got += d));
    });
    const proxy = await f.proxy(up);
    proxy.setToxics([toxic('bandwidth', { rate: 0 }, { stream: 'upstream' })]);
    const c = await f.dial(proxy);
    c.socket.write('request');
    assert.equal((await receive(c, 7)).toString(), 'welcome');
    await holdsFor(() => got === '', 200, 'the upstream stream is stalled');
    proxy.setToxics([]);
    await waitFor(() => got === 'request', 'the upstream got the request once the toxic went');
  });

  it('a toxic added applies to a connection already open, and removing it restores the traffic', async () => {
    const proxy = await f.proxy(await f.echo());
    const c = await f.dial(proxy);
    assert.ok((await roundTrip(c, 'a')) < 100);
    proxy.setToxics([toxic('latency', { latency: 200 })]);
    assert.ok((await roundTrip(c, 'b')) >= 199, 'the open connection got the latency');
    assert.deepEqual(proxy.stats().byToxic, { latency_downstream: { connections: 1, active: 1 } });
    proxy.setToxics([]);
    assert.ok((await roundTrip(c, 'c')) < 100, 'and lost it again');
    assert.deepEqual(proxy.stats().byToxic, {});
    assert.equal(c.received().toString(), 'abc');
  });

  it('bytes held by a toxic when it is removed arrive at once, in order, ahead of what follows', async () => {
    const proxy = await f.proxy(await f.echo());
    proxy.setToxics([toxic('latency', { latency: 60_000 })]);
    const c = await f.dial(proxy);
    c.socket.write('first ');
    await waitFor(() => proxy.stats().bytesReceived.downstream === 6, 'the echo reached the toxic');
    proxy.setToxics([]);
    c.socket.write('second');
    assert.equal((await receive(c, 12)).toString(), 'first second');
  });

  it('a changed toxic keeps its state on the connection: limit_data counts on from where it was', async () => {
    const proxy = await f.proxy(await f.echo());
    proxy.setToxics([toxic('limit_data', { bytes: 10 })]);
    const c = await f.dial(proxy);
    await roundTrip(c, '012345');
    proxy.setToxics([toxic('limit_data', { bytes: 8 })]);
    c.socket.write('6789');
    await c.closed;
    assert.equal(c.received().toString(), '01234567');
  });

  it('toxics of one stream run in the order given: a limit after a slicer counts the sliced bytes', async () => {
    const up = await f.upstream((s) => s.once('data', () => s.write(Buffer.alloc(500, 9))));
    const proxy = await f.proxy(up);
    proxy.setToxics([toxic('slicer', { average_size: 50, size_variation: 0, delay: 5000 }), toxic('limit_data', { bytes: 120 })]);
    const c = await f.dial(proxy);
    c.socket.write('go');
    await c.closed;
    assert.equal(c.received().length, 120);
    assert.deepEqual(c.chunks.map((p) => p.bytes), [50, 50, 20]);
  });
});
