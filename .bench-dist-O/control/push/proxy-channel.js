import { Router } from 'express';
import { ControlError } from '../api/control-error.js';
import { ackBody, check, reportBody } from './proxy-messages.js';
import { notConnected } from './proxy-routes.js';
/** Longest line a channel takes: a report of 10 000 instances fits, as in a POST body (1 MiB). */
export const MAX_LINE_BYTES = 1024 * 1024;
export const NDJSON = 'application/x-ndjson';
/**
 * POST /v1/proxies/:id/channel: a proxy's acknowledgements and reports as
 * NDJSON lines on one request that stays open as long as its stream, so an
 * ack costs a line instead of an HTTP request through the app (npm run
 * bench:control). The app's guards (Host, Origin, token) run once, when it
 * opens; the content type must be NDJSON, which a web page cannot send
 * without asking first. Mounted before the JSON body parser, which would
 * refuse it.
 */
export function channelRoute(deps) {
    const router = Router();
    router.post('/v1/proxies/:id/channel', (req, res) => {
        if (!req.is(NDJSON))
            throw new ControlError('INVALID_REQUEST', 415, `a channel is sent as content-type: ${NDJSON} (got ${JSON.stringify(req.headers['content-type'] ?? 'none')})`);
        const id = req.params.id;
        const channel = new Channel(id, req, res, deps.observed);
        const leave = deps.hub.joinChannel(id, () => channel.end());
        if (!leave)
            throw notConnected(id);
        res.once('close', leave);
        channel.open();
    });
    return router;
}
/**
 * One channel. The answer's headers go out at once (200, NDJSON) and the
 * answer stays open: after each chunk of lines it says `{"type":"recorded",
 * "lines":N}`, the count of messages recorded so far (what the bench times
 * an ack by). A bad line ends it with `{"type":"error",code,message}`,
 * recorded as the proxy's lastChannelError; lines after it are not read.
 */
class Channel {
    id;
    req;
    res;
    observed;
    partial = [];
    partialBytes = 0;
    lineNo = 0;
    recorded = 0;
    closed = false;
    constructor(id, req, res, observed) {
        this.id = id;
        this.req = req;
        this.res = res;
        this.observed = observed;
    }
    open() {
        // The connection goes with the channel: it held nothing else, and a proxy still sending after a refusal is cut, not drained.
        this.res.writeHead(200, { 'content-type': `${NDJSON}; charset=utf-8`, 'cache-control': 'no-cache', connection: 'close' });
        this.res.flushHeaders();
        this.res.socket?.setNoDelay(true);
        this.req.on('data', (chunk) => this.feed(chunk));
        this.req.once('end', () => this.end());
    }
    /** The proxy ended its request, or its stream closed. */
    end() {
        if (this.closed)
            return;
        this.closed = true;
        this.res.end();
    }
    feed(chunk) {
        if (this.closed)
            return;
        const before = this.recorded;
        let start = 0;
        for (let nl = chunk.indexOf(10, start); nl >= 0 && !this.closed; nl = chunk.indexOf(10, start)) {
            const piece = chunk.subarray(start, nl);
            start = nl + 1;
            const line = this.partialBytes === 0 ? piece : Buffer.concat([...this.partial, piece]);
            this.partial = [];
            this.partialBytes = 0;
            this.lineNo++;
            if (line.length > MAX_LINE_BYTES)
                return this.fail('LINE_TOO_LONG', `line ${this.lineNo} is over ${MAX_LINE_BYTES} bytes`);
            this.take(line.toString('utf8'));
        }
        if (this.closed)
            return;
        if (start < chunk.length) {
            this.partial.push(chunk.subarray(start));
            this.partialBytes += chunk.length - start;
            if (this.partialBytes > MAX_LINE_BYTES)
                return this.fail('LINE_TOO_LONG', `line ${this.lineNo + 1} is over ${MAX_LINE_BYTES} bytes`);
        }
        if (this.recorded > before)
            this.res.write(`{"type":"recorded","lines":${this.recorded}}\n`);
    }
    /** One line: blank ones are skipped (a client may send one to get its request going). */
    take(text) {
        if (text.trim() === '')
            return;
        let message;
        try {
            message = JSON.parse(text);
        }
        catch (err) {
            return this.fail('NOT_JSON', `line ${this.lineNo} is not JSON: ${err.message}`);
        }
        const { type, ...body } = (typeof message === 'object' && message !== null ? message : {});
        let known;
        if (type === 'ack') {
            const ack = check(ackBody, body);
            if (!ack.ok)
                return this.fail('INVALID_LINE', `line ${this.lineNo}: acknowledgement refused: ${describe(ack.errors)}`);
            known = this.observed.ack(this.id, { version: ack.value.version, applied: ack.value.applied, reason: ack.value.applied ? undefined : ack.value.reason });
        }
        else if (type === 'report') {
            const report = check(reportBody, body);
            if (!report.ok)
                return this.fail('INVALID_LINE', `line ${this.lineNo}: report refused: ${describe(report.errors)}`);
            known = this.observed.report(this.id, report.value);
        }
        else {
            return this.fail('INVALID_LINE', `line ${this.lineNo}: type must be "ack" or "report" (got ${JSON.stringify(type) ?? 'none'})`);
        }
        if (!known)
            return this.fail('PROXY_NOT_FOUND', `no proxy "${this.id}" is known here any more: open /v1/stream again`);
        this.recorded++;
    }
    fail(code, message) {
        this.observed.channelError(this.id, `${code}: ${message}`);
        this.closed = true;
        this.partial = [];
        this.res.end(`${JSON.stringify({ type: 'error', code, message })}\n`);
    }
}
const describe = (errors) => errors.map((e) => (e.field ? `${e.field}: ${e.message}` : e.message)).join('; ');
//# sourceMappingURL=proxy-channel.js.map