import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import { after, describe, it } from 'node:test';
import { waitFor } from '../../helpers/wait.js';
import { TcpFixture, toxic } from './tcp-fixture.js';

const MiB = 1 << 20;
const TOTAL = 96 * MiB;

/** Writes `total` bytes as fast as the socket takes them, waiting for 'drain' as a well-behaved writer does. */
function flood(s: Socket, total: number): void {
  const block = Buffer.alloc(64 * 1024, 5);
  let left = total;
  const pump = () => {
    while (left > 0) {
      left -= block.length;
      if (!s.write(block)) return void s.once('drain', pump);
    }
    s.end();
  };
  pump();
}

/** Resolves once `read()` has not moved for `quietMs`: the writer is stuck. */
async function stalled(read: () => number, quietMs: number): Promise<number> {
  let last = -1;
  let since = performance.now();
  await waitFor(() => {
    const now = read();
    if (now !== last) {
      last = now;
      since = performance.now();
    }
    return performance.now() - since >= quietMs;
  }, 'the writer stalled');
  return last;
}

describe('backpressure', () => {
  const f = new TcpFixture();
  after(() => f.close());

  for (const withToxic of [false, true]) {
    it(`a client that stops reading stops the upstream writer${withToxic ? ', through a latency toxic' : ''}, and gets every byte once it reads again`, async (t) => {
      let server: Socket | undefined;
      const up = await f.upstream((s) => {
        server = s;
        s.once('data', () => flood(s, TOTAL));
      });
      const proxy = await f.proxy(up);
      if (withToxic) proxy.setToxics([toxic('latency', { latency: 20 })]);
      const c = await f.dial(proxy);
      c.socket.pause();
      c.socket.write('go');
      await waitFor(() => server !== undefined, 'the upstream accepted');
      const written = await stalled(() => server!.bytesWritten, 500);
      const inProxy = proxy.stats().bytesReceived.downstream - proxy.stats().bytes.downstream;
      // What is in flight sits in kernel buffers (loopback may grow them to tens of MiB) and at most LINK_HIGH_WATER in the toxics.
      assert.ok(written < TOTAL / 2, `the writer stopped after ${(written / MiB).toFixed(1)} MiB of ${TOTAL / MiB}`);
      assert.ok(inProxy <= 1.1 * MiB, `${(inProxy / MiB).toFixed(2)} MiB held by the toxics`);
      t.diagnostic(`writer stalled after ${(written / MiB).toFixed(1)} MiB; toxics held ${(inProxy / MiB).toFixed(2)} MiB`);
      c.socket.resume();
      await c.closed;
      assert.equal(c.received().length, TOTAL);
    });
  }
});
