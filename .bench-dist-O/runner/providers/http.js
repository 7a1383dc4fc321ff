import { Agent, buildConnector, request } from 'undici';
import { setTimer } from '../../proxy/config/duration.js';
/** A call cut short by its own `timeout`: which limit, and what the call was doing then. */
export class HttpTimeoutError extends Error {
    code = 'HTTP_TIMEOUT';
    name = 'HttpTimeoutError';
}
/**
 * The limits of one call, on our own timers: undici's are only as exact as
 * its one-second clock. `connect` bounds the connection (TLS included),
 * `read` the wait for the headers and then each wait between body chunks,
 * `whole` (a single timeout, as Chaos Toolkit's bounds the whole call) all of it.
 */
class CallClock {
    limits;
    abort = new AbortController();
    phase = 'connecting';
    expired;
    step;
    whole;
    constructor(limits) {
        this.limits = limits;
        if (limits.wholeMs)
            this.whole = setTimer(() => this.expire(limits.wholeMs), limits.wholeMs);
        this.arm(limits.connectMs);
    }
    /** A new phase starts (or a body chunk arrived): its own limit starts again. */
    enter(phase) {
        this.phase = phase;
        this.arm(phase === 'connecting' ? this.limits.connectMs : this.limits.readMs);
    }
    stop() {
        clearTimeout(this.step);
        clearTimeout(this.whole);
    }
    arm(ms) {
        clearTimeout(this.step);
        this.step = ms ? setTimer(() => this.expire(ms), ms) : undefined;
    }
    expire(limitMs) {
        if (this.expired)
            return;
        this.expired = { limitMs, phase: this.phase };
        this.stop();
        this.abort.abort();
    }
}
/**
 * Chaos Toolkit's http provider: `arguments` become the query of a GET and
 * a JSON body otherwise; `timeout` (ms once parsed) bounds the whole call,
 * or is [connect, read]. A call past its limit fails with
 * `GET URL timed out after 0.5s (waiting for the response headers)`.
 */
export async function runHttp(p, ctx) {
    const [connectMs, readMs] = Array.isArray(p.timeout) ? p.timeout : [p.timeout, p.timeout];
    const url = new URL(p.url);
    const headers = { ...p.headers };
    let body;
    if (p.arguments !== undefined) {
        if (p.method === 'GET' || p.method === 'HEAD') {
            for (const [k, v] of Object.entries(p.arguments))
                url.searchParams.append(k, typeof v === 'string' ? v : JSON.stringify(v));
        }
        else {
            body = JSON.stringify(p.arguments);
            headers['content-type'] ??= 'application/json';
        }
    }
    const clock = new CallClock({ connectMs, readMs, wholeMs: typeof p.timeout === 'number' ? p.timeout : undefined });
    // With a connect limit of ours, undici's (10 s when none is given) is off.
    const connect = buildConnector({ rejectUnauthorized: p.verify_tls, ...(connectMs ? { timeout: 0 } : {}) });
    // undici's own limits are off: ours decide, to the millisecond; once connected, the wait is for the headers.
    const dispatcher = new Agent({
        headersTimeout: 0,
        bodyTimeout: 0,
        connect: (options, callback) => connect(options, (err, socket) => {
            if (!err && clock.phase === 'connecting')
                clock.enter('waiting for the response headers');
            callback(err, socket);
        }),
    });
    const signal = AbortSignal.any([ctx.signal, clock.abort.signal]);
    try {
        const pending = request(url, { method: p.method, headers, body, dispatcher, signal });
        // undici heeds the signal only once a connection is there: a connect that hangs (a TLS handshake nobody answers) is raced.
        const aborted = () => new DOMException('This operation was aborted', 'AbortError');
        const stopped = new Promise((_, reject) => (signal.aborted ? reject(aborted()) : signal.addEventListener('abort', () => reject(aborted()), { once: true })));
        pending.catch(() => undefined);
        stopped.catch(() => undefined);
        const res = await Promise.race([pending, stopped]);
        clock.enter('reading the body');
        const chunks = [];
        for await (const chunk of res.body) {
            chunks.push(chunk);
            clock.enter('reading the body');
        }
        clock.stop();
        const text = Buffer.concat(chunks).toString('utf8');
        const json = String(res.headers['content-type'] ?? '').includes('json');
        let parsed = text;
        if (json && text) {
            try {
                parsed = JSON.parse(text);
            }
            catch {
                // Not JSON after all: keep the text.
            }
        }
        if (p.expected_status !== undefined && res.statusCode !== p.expected_status)
            throw new Error(`${p.method} ${p.url} answered ${res.statusCode}, expected ${p.expected_status}`);
        return { status: res.statusCode, headers: res.headers, body: parsed };
    }
    catch (err) {
        if (clock.expired)
            throw new HttpTimeoutError(`${p.method} ${p.url} timed out after ${clock.expired.limitMs / 1000}s (${clock.expired.phase})`);
        throw err;
    }
    finally {
        clock.stop();
        // A call cut short leaves its socket half-used: destroyed, not kept.
        void dispatcher.destroy().catch(() => undefined);
    }
}
//# sourceMappingURL=http.js.map