import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { PassThrough, Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { bodyForAttempt, readForReplay } from '../../../proxy/http/request-body.js';

/** A request stand-in: a stream with headers, written by the test. */
function request(headers: Record<string, string>) {
  return Object.assign(new PassThrough(), { headers }) as unknown as IncomingMessage & PassThrough;
}
const response = () => new Writable({ write: (_c, _e, done) => done() });

async function collect(stream: NodeJS.ReadableStream | undefined): Promise<string> {
  const parts: Buffer[] = [];
  for await (const c of stream!) parts.push(Buffer.from(c as Buffer));
  return Buffer.concat(parts).toString();
}

describe('request bodies kept for replay', () => {
  it('keeps nothing for a request without a body', async () => {
    assert.deepEqual(await readForReplay(request({}), response()), { kind: 'none' });
    assert.deepEqual(await readForReplay(request({ 'content-length': '0' }), response()), { kind: 'none' });
  });

  it('keeps a body within the limit, and replays it whole for every attempt', async () => {
    const req = request({ 'transfer-encoding': 'chunked' });
    const read = readForReplay(req, response(), 10);
    req.write('hello ');
    req.end('you');
    const body = await read;
    assert.equal(body.kind, 'buffered');
    assert.equal(await collect(bodyForAttempt(body)), 'hello you');
    assert.equal(await collect(bodyForAttempt(body)), 'hello you', 'a second attempt gets it again');
  });

  it('gives up keeping a body past the limit but still passes all of it on, once', async () => {
    const req = request({ 'content-length': '15' });
    const read = readForReplay(req, response(), 10);
    req.write('0123456789');
    req.write('abc');
    const body = await read;
    assert.equal(body.kind, 'streaming');
    req.end('de');
    assert.equal(await collect(bodyForAttempt(body)), '0123456789abcde');
  });

  it('stops waiting when the response closes, even if the body never ends', { timeout: 5000 }, async () => {
    const req = request({ 'transfer-encoding': 'chunked' });
    const res = response();
    const read = readForReplay(req, res);
    req.write('part');
    res.destroy();
    assert.equal((await read).kind, 'streaming');
    assert.equal(req.listenerCount('data'), 0, 'no listener left on the request');
  });
});
