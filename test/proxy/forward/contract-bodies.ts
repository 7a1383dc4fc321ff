import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { METHODS } from 'node:http';
import { Readable } from 'node:stream';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { ForwarderKind } from '../../../proxy/forward/forwarder.js';
import { rawExchange } from '../../helpers/raw-socket.js';
import { waitFor } from '../../helpers/wait.js';
import { CASE, readAll, sha256, startForwardFixture, type ForwardFixture } from './fixture.js';

const MiB = 1024 * 1024;

/** Bodies and methods: what a forwarder carries, both ways, and that it streams rather than buffers. */
export function bodiesContract(kind: ForwarderKind): void {
  describe(`the ${kind} forwarder carries bodies and methods`, () => {
    let f: ForwardFixture;
    before(async () => (f = await startForwardFixture(kind)));
    after(() => f.stop());
    beforeEach(() => f.reset());

    it('streams a request body to the upstream before the client has sent all of it', CASE, async () => {
      const { req, response } = f.open('plain');
      req.write('first chunk;');
      // The client still holds the rest: only a streamed body can reach the upstream now.
      await waitFor(() => f.plain.last()?.body().toString() === 'first chunk;', 'the upstream has the first chunk');
      assert.equal(f.plain.last()!.ended, false);
      req.end('the rest');
      const res = await response;
      assert.equal(res.statusCode, 200);
      const seen = JSON.parse((await readAll(res)).toString()) as { bytes: number; sha: string };
      assert.equal(seen.sha, sha256(Buffer.from('first chunk;the rest')));
    });

    it('streams a response body to the client chunk by chunk before the upstream has ended it', CASE, async () => {
      f.plain.handler = (seen) => {
        seen.res.writeHead(200, { 'content-type': 'text/plain' });
        seen.res.write('part one;');
      };
      const { req, response } = f.open('plain', { method: 'GET' });
      req.end();
      const res = await response;
      let got = '';
      res.on('data', (c: Buffer) => (got += c.toString()));
      await waitFor(() => got === 'part one;', 'the client has the first chunk');
      assert.equal(f.plain.last()!.res.writableEnded, false, 'the upstream has not ended its response');
      f.plain.last()!.res.end('part two');
      await new Promise((resolve) => res.once('end', resolve));
      assert.equal(got, 'part one;part two');
    });

    for (const framing of ['content-length', 'chunked'] as const) {
      it(`carries 8 MiB each way unchanged, framed by ${framing}`, CASE, async () => {
        const chunks = Array.from({ length: 128 }, () => randomBytes(64 * 1024));
        const download = randomBytes(8 * MiB);
        f.plain.handler = (seen) => {
          void seen.whole().then(() => {
            const headers: Record<string, string | number> = { 'content-type': 'application/octet-stream' };
            if (framing === 'content-length') headers['content-length'] = download.length;
            seen.res.writeHead(200, headers);
            // In pieces, so a chunked response really is many chunks.
            for (let at = 0; at < download.length; at += 256 * 1024) seen.res.write(download.subarray(at, at + 256 * 1024));
            seen.res.end();
          });
        };
        const headers: Record<string, string> = framing === 'content-length' ? { 'content-length': String(8 * MiB) } : {};
        const reply = await f.call('plain', { method: 'POST', body: Readable.from(chunks), headers });
        assert.equal(reply.status, 200);
        const seen = f.plain.last()!;
        assert.equal(seen.body().length, 8 * MiB);
        assert.equal(sha256(seen.chunks), sha256(chunks));
        if (framing === 'content-length') {
          assert.equal(seen.req.headers['content-length'], String(8 * MiB));
          assert.equal(reply.headers['content-length'], String(8 * MiB));
        } else {
          assert.equal(seen.req.headers['content-length'], undefined);
          assert.equal(seen.req.headers['transfer-encoding'], 'chunked');
          assert.equal(reply.headers['content-length'], undefined);
          assert.equal(reply.headers['transfer-encoding'], 'chunked');
        }
        assert.equal(reply.body.length, 8 * MiB);
        assert.equal(sha256(reply.body), sha256(download));
      });
    }

    for (const method of ['GET', 'HEAD', 'OPTIONS']) {
      it(`forwards ${method}`, CASE, async () => {
        const reply = await f.call('plain', { method, path: `/m?${method}` });
        assert.equal(reply.status, 200);
        const seen = f.plain.last()!;
        assert.equal(seen.req.method, method);
        assert.equal(seen.req.url, `/m?${method}`);
        // A HEAD answer announces the length of a body it does not carry; waiting for that body would hang.
        if (method === 'HEAD') assert.deepEqual([reply.body.length, Number(reply.headers['content-length']) > 0], [0, true]);
        else assert.equal(reply.json().method, method);
      });
    }

    // DELETE included: http-proxy once dropped a chunked DELETE's body.
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      it(`forwards ${method} with a chunked body`, CASE, async () => {
        const chunks = [Buffer.from(`${method} body, `), randomBytes(3000), Buffer.from(' end')];
        const reply = await f.call('plain', { method, path: '/m', body: Readable.from(chunks), headers: { 'transfer-encoding': 'chunked' } });
        assert.equal(reply.status, 200);
        const seen = f.plain.last()!;
        assert.equal(seen.req.method, method);
        // A small body may have arrived whole before it is sent on: undici then
        // frames it by its length, which says the same. Never both, never neither.
        const length = seen.req.headers['content-length'];
        if (length === undefined) assert.equal(seen.req.headers['transfer-encoding'], 'chunked');
        else assert.deepEqual([length, seen.req.headers['transfer-encoding']], [String(seen.body().length), undefined]);
        assert.equal(reply.json().sha, sha256(chunks));
      });
    }

    it("forwards a token method Node's parser knows, and answers a clear 400 to one it does not", CASE, async () => {
      assert.ok(METHODS.includes('PURGE'));
      const purge = await f.call('plain', { method: 'PURGE', path: '/cache' });
      assert.equal(purge.status, 200);
      assert.equal(f.plain.last()!.req.method, 'PURGE');
      // llhttp accepts only the methods it lists: an unknown token never gets past the listener.
      assert.equal(METHODS.includes('FROBNICATE'), false);
      const answer = await rawExchange(f.proxyPort, 'FROBNICATE / HTTP/1.1\r\nhost: plain\r\n\r\n');
      assert.match(answer, /^HTTP\/1\.1 400 /);
      assert.match(answer, /x-faultmesh-error: BAD_REQUEST/);
      assert.equal(f.plain.seen.length, 1, 'the unknown method reached no upstream');
    });
  });
}
