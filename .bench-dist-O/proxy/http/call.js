/**
 * Per-request state: created when a request arrives and dropped with it.
 * A class (not an object literal) so every call has the same shape on the hot path.
 */
export class Call {
    req;
    res;
    method;
    destination;
    path;
    source;
    trace;
    startNs = process.hrtime.bigint();
    /** Destination service table, once resolved. */
    service = undefined;
    route = undefined;
    split = undefined;
    /** The instance of the latest attempt. */
    endpoint = undefined;
    /** The latest attempt; earlier ones are over. */
    attempt = undefined;
    /** How the latest attempt ended, classified once for retries, outlier detection and metrics. */
    classification = undefined;
    /** The request body kept for replay, when the call may be retried. */
    body = undefined;
    /** The headers sent upstream, built on the first forwarded attempt and kept for retries (undici forwarder). */
    upstreamHeaders = undefined;
    retries = 0;
    /** Set when the call's overall timeout has answered: no more attempts. */
    timedOut = false;
    /** performance.now() by which the overall timeout answers (Infinity without one). */
    deadline = Infinity;
    /** The one timer of the call's timeouts (layers/timeout.ts). */
    deadlines = undefined;
    error = undefined;
    /** Set by the fault filter when a rule hit this call. */
    fault = undefined;
    /** This call's span, set by the tracing layer only when the call is sampled and spans are exported. */
    span = undefined;
    /** Short notes for the access log: error codes, client aborts. */
    flags = [];
    closeHooks = undefined;
    isClosed = false;
    constructor(req, res, method, 
    /** Destination service name as the caller wrote it ('' when absent). */
    destination, path, source, trace) {
        this.req = req;
        this.res = res;
        this.method = method;
        this.destination = destination;
        this.path = path;
        this.source = source;
        this.trace = trace;
    }
    get headers() {
        return this.req.headers;
    }
    /**
     * Runs `fn` once the client's response has closed (sent, or abandoned), at
     * once if it has already. One 'close' listener per call (the listener's,
     * http/proxy-server.ts) serves every layer: a listener each cost an
     * event-emitter wrapper and a removal per request.
     */
    whenClosed(fn) {
        if (this.isClosed)
            fn();
        else
            (this.closeHooks ??= []).push(fn);
    }
    /** Called once, by the listener, when the response closes. */
    closed() {
        this.isClosed = true;
        const hooks = this.closeHooks;
        this.closeHooks = undefined;
        if (hooks)
            for (const fn of hooks)
                fn();
    }
    elapsedSeconds() {
        return Number(process.hrtime.bigint() - this.startNs) / 1e9;
    }
}
//# sourceMappingURL=call.js.map