/**
 * Per-upgrade state, the upgrade's counterpart of http/call.ts's Call:
 * created when an upgrade request arrives, dropped when its socket closes.
 */
export class UpgradeExchange {
    req;
    socket;
    method;
    destination;
    path;
    source;
    trace;
    protocol;
    startNs = process.hrtime.bigint();
    service = undefined;
    route = undefined;
    endpoint = undefined;
    fault = undefined;
    error = undefined;
    state = 'pending';
    /** The status the client was answered with (101, the upstream's, the proxy's); 0 while none, or when cut with none. */
    status = 0;
    /** Seconds from arrival to the answer, once answered. */
    answeredAfter = undefined;
    /** How the handshake went for the instance, classified once for outlier detection and the log. */
    classification = undefined;
    /** Short notes for the access log, as a Call's. */
    flags = [];
    constructor(req, socket, method, 
    /** Destination service name as the caller wrote it ('' when absent). */
    destination, path, source, trace, 
    /** The protocol asked for (`websocket`), lower-cased. */
    protocol) {
        this.req = req;
        this.socket = socket;
        this.method = method;
        this.destination = destination;
        this.path = path;
        this.source = source;
        this.trace = trace;
        this.protocol = protocol;
    }
    get headers() {
        return this.req.headers;
    }
    elapsedSeconds() {
        return Number(process.hrtime.bigint() - this.startNs) / 1e9;
    }
    /** Marks the handshake answered, once; false when it already was. */
    answer(by, status) {
        if (this.state !== 'pending')
            return false;
        this.state = by;
        this.status = status;
        this.answeredAfter = this.elapsedSeconds();
        return true;
    }
}
//# sourceMappingURL=upgrade-exchange.js.map