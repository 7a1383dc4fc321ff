import { PassThrough, Readable } from 'node:stream';
/** Bodies up to this size are kept in memory so that a retry can send them again. */
export const REPLAY_LIMIT = 64 * 1024;
export const NO_BODY = { kind: 'none' };
/** True when the request announces a body: a non-zero length or chunked framing. */
export function hasBody(req) {
    const length = req.headers['content-length'];
    if (length !== undefined)
        return length !== '0';
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
export function readForReplay(req, res, limit = REPLAY_LIMIT) {
    if (!hasBody(req))
        return Promise.resolve(NO_BODY);
    return new Promise((resolve) => {
        const chunks = [];
        let size = 0;
        const finish = (body) => {
            req.off('data', onData);
            req.off('end', onEnd);
            req.off('close', onClose);
            res.off('close', onClose);
            resolve(body);
        };
        const asStream = () => {
            req.pause();
            const stream = new PassThrough();
            for (const c of chunks)
                stream.write(c);
            req.pipe(stream);
            return { kind: 'streaming', stream };
        };
        const onData = (chunk) => {
            chunks.push(chunk);
            size += chunk.length;
            if (size > limit)
                finish(asStream());
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
export function bodyForAttempt(body) {
    if (body === undefined || body.kind === 'none')
        return undefined;
    if (body.kind === 'streaming')
        return body.stream;
    return Readable.from(body.chunks, { objectMode: false });
}
//# sourceMappingURL=request-body.js.map