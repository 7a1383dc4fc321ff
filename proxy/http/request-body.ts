import type { IncomingMessage } from 'node:http';
import { PassThrough, Readable, type Writable } from 'node:stream';

/** Bodies up to this size are kept in memory so that a retry can send them again. */
export const REPLAY_LIMIT = 64 * 1024;

/**
 * A request body as the retry layer holds it:
 * - none: the request has no body; every attempt sends an empty one.
 * - buffered: read whole (within the limit); every attempt replays it.
 * - streaming: too large (or cut short) to keep; it can be sent once, so
 *   the call gets no retry.
 */
export type RequestBody =
  | { readonly kind: 'none' }
  | { readonly kind: 'buffered'; readonly chunks: readonly Buffer[] }
  | { readonly kind: 'streaming'; readonly stream: Readable };

export const NO_BODY: RequestBody = { kind: 'none' };

/** True when the request announces a body: a non-zero length or chunked framing. */
export function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  if (length !== undefined) return length !== '0';
  return req.headers['transfer-encoding'] !== undefined;
}

/**
 * Reads the body for replay, up to `limit` bytes. Past the limit it stops
 * reading and hands back a stream of what was read followed by the rest,
 * so a large upload still goes through, once.
 *
 * It also stops when `res` closes: once a response has been sent (a
 * timeout) Node no longer tracks the request, whose body may then never
 * end, and the read would wait forever.
 */
export function readForReplay(req: IncomingMessage, res: Writable, limit = REPLAY_LIMIT): Promise<RequestBody> {
  if (!hasBody(req)) return Promise.resolve(NO_BODY);
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (body: RequestBody) => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('close', onClose);
      res.off('close', onClose);
      resolve(body);
    };
    const asStream = (): RequestBody => {
      req.pause();
      const stream = new PassThrough();
      for (const c of chunks) stream.write(c);
      req.pipe(stream);
      return { kind: 'streaming', stream };
    };
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size > limit) finish(asStream());
    };
    const onEnd = () => finish({ kind: 'buffered', chunks });
    // The client went away mid-body, or the call was answered: nothing will
    // be sent, so stop reading and keep nothing.
    const onClose = () => finish({ kind: 'streaming', stream: req });
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('close', onClose);
    res.once('close', onClose);
  });
}

/**
 * The stream one attempt sends, or undefined to let the forwarder pipe the
 * request itself (no body, or no replay needed).
 */
export function bodyForAttempt(body: RequestBody | undefined): Readable | undefined {
  if (body === undefined || body.kind === 'none') return undefined;
  if (body.kind === 'streaming') return body.stream;
  return Readable.from(body.chunks, { objectMode: false });
}
