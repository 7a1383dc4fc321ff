import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { ForwarderKind } from '../../../proxy/forward/forwarder.js';
import { waitFor } from '../../helpers/wait.js';
import { CASE, startForwardFixture, type ForwardFixture, type Seen } from './fixture.js';

/** Resolves once the response has closed, telling whether it arrived complete. */
const closedComplete = (res: IncomingMessage) =>
  new Promise<boolean>((resolve) => {
    res.on('error', () => {});
    res.once('close', () => resolve(res.complete));
  });

/** Connections that break: the client leaving, the upstream resetting, nobody listening. */
export function breaksContract(kind: ForwarderKind): void {
  describe(`the ${kind} forwarder when a connection breaks`, () => {
    let f: ForwardFixture;
    before(async () => (f = await startForwardFixture(kind)));
    after(() => f.stop());
    beforeEach(() => f.reset());

    /** The instance and the proxy count nothing in flight any more, and the proxy still serves. */
    const stillServing = async () => {
      await waitFor(async () => {
        const n = await f.inFlight();
        return n.proxy === 0 && Object.values(n.instances).every((v) => v === 0);
      }, 'nothing is in flight');
      f.plain.handler = (seen) => seen.res.end('next');
      const next = await f.call('plain');
      assert.equal(next.status, 200);
      assert.equal(next.text(), 'next');
    };

    /** The upstream answers its head and a first chunk, then holds the rest. */
    const headAndFirstChunk = (seen: Seen) => {
      seen.res.writeHead(200, { 'content-type': 'text/plain' });
      seen.res.write('first;');
    };

    it('cuts the upstream request when the client leaves in the middle of its body', CASE, async () => {
      const { req, response } = f.open('plain');
      response.catch(() => {});
      req.on('error', () => {});
      req.write('first;');
      await waitFor(() => (f.plain.last()?.chunks.length ?? 0) > 0, 'the upstream has the first chunk');
      req.destroy();
      await waitFor(() => f.plain.last()!.cut, 'the upstream request is cut');
      assert.equal(f.plain.last()!.ended, false);
      await stillServing();
    });

    it('cuts the upstream response when the client leaves in the middle of it', CASE, async () => {
      f.plain.handler = headAndFirstChunk;
      const { req, response } = f.open('plain', { method: 'GET' });
      req.on('error', () => {});
      req.end();
      const res = await response;
      res.on('error', () => {});
      let got = '';
      res.on('data', (c: Buffer) => (got += c.toString()));
      await waitFor(() => got === 'first;', 'the client has the first chunk');
      req.destroy();
      await waitFor(() => f.plain.last()!.responseCut, "the upstream's response connection is closed");
      await stillServing();
    });

    it("cuts the client's response when the upstream resets in the middle of the body, and logs it", CASE, async () => {
      const requestId = `reset-mid-body-${kind}`;
      f.plain.handler = headAndFirstChunk;
      const { req, response } = f.open('plain', { method: 'GET', headers: { 'x-request-id': requestId } });
      req.end();
      const res = await response;
      assert.equal(res.statusCode, 200);
      const complete = closedComplete(res);
      let got = '';
      res.on('data', (c: Buffer) => (got += c.toString()));
      await waitFor(() => got === 'first;', 'the client has the first chunk');
      f.plain.last()!.req.socket.destroy();
      assert.equal(await complete, false, 'the response was cut, not ended');
      assert.equal(got, 'first;');
      await waitFor(() => f.accessLines().some((l) => l.requestId === requestId), 'the call is in the access log');
      assert.ok(f.accessLines().find((l) => l.requestId === requestId)!.flags.includes('BODY_INTERRUPTED'));
      await stillServing();
    });

    it('answers 502 UPSTREAM_RESET when the upstream resets before its head', CASE, async () => {
      f.plain.handler = (seen) => seen.req.socket.destroy();
      const reply = await f.call('plain');
      assert.equal(reply.status, 502);
      assert.equal(reply.headers['x-faultmesh-error'], 'UPSTREAM_RESET');
      assert.equal(f.plain.seen.length, 1);
      await stillServing();
    });

    it('answers 502 UPSTREAM_CONNECT_FAILED when nothing listens at the instance', CASE, async () => {
      const reply = await f.call('refused');
      assert.equal(reply.status, 502);
      assert.equal(reply.headers['x-faultmesh-error'], 'UPSTREAM_CONNECT_FAILED');
      assert.match(reply.json<{ message: string }>().message, /refused-1.*ECONNREFUSED/);
      await stillServing();
    });
  });
}
