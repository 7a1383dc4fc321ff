import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import seedrandom from 'seedrandom';
import { fakeTimers } from '../../helpers/fake-timers.js';
import { holdsFor, waitFor } from '../../helpers/wait.js';
import { receive, roundTrip, TcpFixture, toxic } from './tcp-fixture.js';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

describe('toxics that pace the bytes', () => {
  const f = new TcpFixture();
  after(() => f.close());

  it('latency adds its value to each round trip, in the direction it is set on', async () => {
    const up = await f.echo();
    const proxy = await f.proxy(up);
    const c = await f.dial(proxy);
    const base = median([await roundTrip(c, 'a'), await roundTrip(c, 'b'), await roundTrip(c, 'c')]);
    proxy.setToxics([toxic('latency', { latency: 120 })]);
    const slowed = [await roundTrip(c, 'd'), await roundTrip(c, 'e'), await roundTrip(c, 'f')];
    // A timer never fires early; a busy 2-core machine may fire it late.
    for (const ms of slowed) assert.ok(ms >= 119 && ms < base + 120 + 400, `round trip ${ms.toFixed(1)} ms with a 120 ms latency`);
    proxy.setToxics([toxic('latency', { latency: 60 }, { stream: 'upstream' }), toxic('latency', { latency: 60 }, { stream: 'downstream' })]);
    const both = await roundTrip(c, 'g');
    assert.ok(both >= 119 && both < base + 120 + 400, `60 ms each way makes a ${both.toFixed(1)} ms round trip`);
    proxy.setToxics([]);
    assert.ok((await roundTrip(c, 'h')) < 100, 'without the toxic the round trip is fast again');
    assert.equal(c.received().toString(), 'abcdefgh');
  });

  it('latency with jitter never reorders bytes: a chunk drawn shorter waits for the one before', async () => {
    const clock = fakeTimers();
    const up = await f.echo();
    const proxy = await f.proxy(up, { timers: clock, random: seedrandom('jitter') });
    proxy.setToxics([toxic('latency', { latency: 100, jitter: 90 })]);
    const c = await f.dial(proxy);
    const letters = 'abcdefghijklmnopqrst';
    // One chunk at a time, all at the same (fake) instant, each with its own draw from 10 to 189 ms.
    for (const [i, l] of [...letters].entries()) {
      c.socket.write(l);
      await waitFor(() => proxy.stats().bytesReceived.downstream === i + 1, `the echo of ${l} reached the toxic`);
    }
    await clock.advance(9);
    assert.equal(c.received().length, 0, 'nothing arrives before the shortest delay, 10 ms');
    await clock.advance(181);
    assert.equal((await receive(c, letters.length)).toString(), letters);
  });

  it('bandwidth delivers 200 KB at about its rate in KB/s', async () => {
    const size = 200_000;
    const up = await f.upstream((s) => s.once('data', () => s.end(Buffer.alloc(size, 7))));
    const proxy = await f.proxy(up);
    proxy.setToxics([toxic('bandwidth', { rate: 200 })]);
    const c = await f.dial(proxy);
    const started = performance.now();
    c.socket.write('go');
    await c.closed;
    const seconds = (c.chunks.at(-1)!.at - started) / 1000;
    assert.equal(c.received().length, size);
    // 200 KB at 200 KB/s is 1 s: the first 100 ms slice leaves after 100 ms, the last at 1 s.
    assert.ok(seconds >= 0.9 && seconds < 2.5, `200 KB took ${seconds.toFixed(2)} s at 200 KB/s`);
    assert.ok(c.chunks.length >= 8, `arrived in ${c.chunks.length} pieces, about one per 100 ms`);
  });

  it('bandwidth 0 lets nothing through until it is removed, then everything arrives', async () => {
    const up = await f.echo();
    const proxy = await f.proxy(up);
    proxy.setToxics([toxic('bandwidth', { rate: 0 })]);
    const c = await f.dial(proxy);
    c.socket.write('stuck');
    await waitFor(() => proxy.stats().bytesReceived.downstream === 5, 'the echo reached the toxic');
    await holdsFor(() => c.received().length === 0, 200, 'nothing passes at 0 KB/s');
    proxy.setToxics([]);
    assert.equal((await receive(c, 5)).toString(), 'stuck');
  });

  it('slicer delivers a chunk in pieces of average_size ± size_variation, delay µs apart', async () => {
    const up = await f.upstream((s) => s.once('data', () => s.write(Buffer.alloc(1000, 1))));
    const proxy = await f.proxy(up, { random: seedrandom('slices') });
    proxy.setToxics([toxic('slicer', { average_size: 100, size_variation: 20, delay: 20_000 })]);
    const c = await f.dial(proxy);
    c.socket.write('go');
    await receive(c, 1000);
    assert.ok(c.chunks.length >= 8, `1000 bytes arrived in ${c.chunks.length} pieces`);
    for (const piece of c.chunks.slice(0, -1)) assert.ok(piece.bytes >= 80 && piece.bytes <= 120, `a piece of ${piece.bytes} bytes`);
    const spread = c.chunks.at(-1)!.at - c.chunks[0]!.at;
    assert.ok(spread >= (c.chunks.length - 1) * 19, `pieces spread over ${spread.toFixed(0)} ms, 20 ms apart`);
  });

  it('slow_close passes the bytes at once but holds the close back by its delay', async () => {
    const up = await f.upstream((s) => s.once('data', () => s.end('bye')));
    const proxy = await f.proxy(up);
    proxy.setToxics([toxic('slow_close', { delay: 300 })]);
    const c = await f.dial(proxy);
    const started = performance.now();
    c.socket.write('hi');
    await receive(c, 3);
    const dataAfter = c.chunks[0]!.at - started;
    const { at } = await c.closed;
    assert.equal(c.received().toString(), 'bye');
    assert.ok(dataAfter < 150, `the bytes came after ${dataAfter.toFixed(0)} ms`);
    assert.ok(at - started >= 299, `the close came after ${(at - started).toFixed(0)} ms, not before the 300 ms delay`);
  });

  it('a connection that goes leaves no timer of its toxics behind', async () => {
    const clock = fakeTimers();
    const proxy = await f.proxy(await f.echo(), { timers: clock });
    proxy.setToxics([toxic('latency', { latency: 1000 }), toxic('timeout', { timeout: 5000 }, { stream: 'upstream' })]);
    const c = await f.dial(proxy);
    await waitFor(() => clock.pending() === 1, 'the timeout armed its timer');
    c.socket.destroy();
    await waitFor(() => proxy.stats().connectionsActive === 0, 'the proxy closed its side');
    assert.equal(clock.pending(), 0);
  });
});
