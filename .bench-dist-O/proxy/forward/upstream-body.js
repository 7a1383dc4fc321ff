import { Readable } from 'node:stream';
/**
 * A response body as undici hands it over, chunk by chunk. Two ways out:
 *
 * - as a Readable (a fault slowing it, a retry draining it): reading asks
 *   undici for more, and it pauses when `push` says the buffer is full;
 * - relayed (`relayTo`), the common case: each chunk is written straight to
 *   the client's response, undici pausing while the response is full, with
 *   no pipe between them. pipe's listeners, its flowing-mode ticks and the
 *   Readable's buffer were the largest stream cost left per request.
 *
 * Destroying it before its end cuts the upstream request; it emits 'close'
 * either way (the instance's in-flight count waits on it). Like node:http's
 * IncomingMessage, it errors only when someone listens: a body nobody reads
 * any more must not take the process down when its upstream breaks.
 */
export class UpstreamBody extends Readable {
    resumeUpstream;
    cut;
    sink = undefined;
    completed = false;
    constructor(resumeUpstream, cut) {
        super();
        this.resumeUpstream = resumeUpstream;
        this.cut = cut;
    }
    /** Sends the body to `sink` and ends it, from here on and with what was already buffered. */
    relayTo(sink) {
        this.sink = sink;
        let chunk;
        let room = true;
        while ((chunk = this.read()) !== null)
            room = sink.write(chunk);
        if (this.completed)
            return this.finish();
        if (!room)
            sink.once('drain', this.resumeUpstream);
    }
    /** A chunk from undici; false pauses it. */
    accept(chunk) {
        const sink = this.sink;
        if (sink === undefined)
            return this.push(chunk);
        if (sink.write(chunk))
            return true;
        sink.once('drain', this.resumeUpstream);
        return false;
    }
    /** The upstream's body ended. */
    complete() {
        this.completed = true;
        if (this.sink === undefined)
            this.push(null);
        else
            this.finish();
    }
    finish() {
        this.sink.end();
        this.destroy();
    }
    _read() {
        this.resumeUpstream();
    }
    _destroy(err, done) {
        if (!this.completed)
            this.cut();
        done(err && this.listenerCount('error') > 0 ? err : null);
    }
}
//# sourceMappingURL=upstream-body.js.map