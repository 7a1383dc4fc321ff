import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { ForwarderKind } from '../../../proxy/forward/forwarder.js';
import { waitFor } from '../../helpers/wait.js';
import { CASE, startForwardFixture, type ForwardFixture, type Seen } from './fixture.js';

/**
 * Attempts given up and tried again (service `retrying`: one retry on 5xx
 * and timeouts, 200 ms per try): which answer the client gets, which bytes
 * each attempt sends, and what becomes of the attempt left behind.
 */
export function retriesContract(kind: ForwarderKind): void {
  describe(`the ${kind} forwarder across retries`, () => {
    let f: ForwardFixture;
    before(async () => (f = await startForwardFixture(kind)));
    after(() => f.stop());
    beforeEach(() => f.reset());

    /** Both instances answer through `handle`, told how many requests came before; returns them in arrival order. */
    const steer = (handle: (seen: Seen, n: number, arrived: readonly Seen[]) => void): Seen[] => {
      const arrived: Seen[] = [];
      for (const u of f.tries)
        u.handler = (seen) => {
          arrived.push(seen);
          handle(seen, arrived.length - 1, arrived);
        };
      return arrived;
    };

    const nothingInFlight = () =>
      waitFor(async () => {
        const n = await f.inFlight();
        return n.proxy === 0 && n.instances['try-1'] === 0 && n.instances['try-2'] === 0;
      }, 'nothing is in flight');

    it('moves to another instance when the first sends nothing within the per-try timeout', CASE, async () => {
      // The first request is never answered; any later one is.
      const arrived = steer((seen, n) => {
        if (n > 0) seen.res.end(`answer from ${seen.instance}`);
      });
      const reply = await f.call('retrying', { path: '/slow-first' });
      assert.equal(reply.status, 200);
      assert.equal(arrived.length, 2);
      assert.notEqual(arrived[1]!.instance, arrived[0]!.instance);
      assert.equal(reply.text(), `answer from ${arrived[1]!.instance}`);
      // The abandoned attempt's upstream request is cut, not left to hang.
      await waitFor(() => arrived[0]!.responseCut && arrived[0]!.socketClosed, "the first attempt's connection is closed");
      await nothingInFlight();
    });

    for (const framing of ['content-length', 'chunked'] as const) {
      it(`sends a retried POST the same body again (${framing})`, CASE, async () => {
        const sent = [randomBytes(4096), Buffer.from('|order=42|'), randomBytes(6000)];
        const arrived = steer((seen, n) => {
          void seen.whole().then(() => {
            seen.res.writeHead(n === 0 ? 503 : 201, { 'content-type': 'text/plain' });
            seen.res.end(n === 0 ? 'unavailable' : 'created');
          });
        });
        const body = framing === 'content-length' ? Buffer.concat(sent) : Readable.from(sent);
        const reply = await f.call('retrying', { method: 'POST', path: '/orders', body });
        assert.equal(reply.status, 201);
        assert.equal(reply.text(), 'created');
        assert.equal(arrived.length, 2);
        assert.ok(arrived[0]!.ended && arrived[1]!.ended);
        assert.ok(arrived[0]!.body().equals(Buffer.concat(sent)), 'the first attempt has the body sent');
        assert.ok(arrived[1]!.body().equals(arrived[0]!.body()), 'the retry has the same bytes');
        assert.equal(arrived[1]!.req.method, 'POST');
        assert.equal(arrived[1]!.req.url, '/orders');
        await nothingInFlight();
      });
    }

    it('never hands the client a late answer to an abandoned attempt, and frees its connection', CASE, async () => {
      // The first attempt answers only once its retry has arrived, after the
      // per-try timeout fired. Repeated, so a connection kept per late
      // answer would show up as connections piling up at the upstream.
      for (let i = 0; i < 5; i++) {
        f.reset();
        const arrived = steer((seen, n, all) => {
          if (n === 0) return;
          const first = all[0]!;
          if (!first.res.destroyed) first.res.end(`late answer from ${first.instance}`);
          seen.res.end(`retry answer from ${seen.instance}`);
        });
        const reply = await f.call('retrying', { path: `/late/${i}` });
        assert.equal(reply.status, 200);
        assert.equal(reply.text(), `retry answer from ${arrived[1]!.instance}`);
        await waitFor(() => arrived[0]!.socketClosed, "the abandoned attempt's connection is closed");
      }
      await nothingInFlight();
      // What is left open is at most one kept-alive connection per instance.
      await waitFor(() => f.tries[0].connections() + f.tries[1].connections() <= 2, 'no connection of an abandoned attempt is left open');
      f.reset();
      const next = await f.call('retrying', { path: '/after' });
      assert.equal(next.status, 200);
    });
  });
}
