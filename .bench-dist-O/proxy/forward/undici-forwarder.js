import { createRequire } from 'node:module';
import { noIdentity, upstreamFailure, upstreamTls } from '../errors.js';
import { upstreamHeaderList } from '../http/headers.js';
import { hasBody } from '../http/request-body.js';
import { createTlsConnector, refusedReason } from '../transport/tls-connector.js';
import { TlsSessionCache } from '../transport/tls-sessions.js';
import { settleOnce } from './forwarder.js';
import { UpstreamBody } from './upstream-body.js';
// undici's Pool alone: its index loads all of undici (fetch, WebSocket, caches, mocks), about 7 MiB of a
// sidecar's memory for code the data plane never runs. Pinned version (package.json), so the path holds.
const Pool = createRequire(import.meta.url)('undici/lib/dispatcher/pool.js');
/**
 * The default forwarder: undici, a pool of keep-alive connections per
 * instance, driven through `dispatch` with a handler of our own. That is
 * undici's core API: the raw response headers come as they were sent (case
 * and order kept), the body is pushed into one Readable with backpressure,
 * and an attempt is cut through the abort function undici hands the
 * handler, with no AbortController per request. Timeouts are the stack's
 * (layers/timeout.ts), so undici's own are off.
 */
export function createUndiciForwarder(options = {}) {
    // Plain pools by address; a `tls: mutual` service's by service and address, since the service is what the
    // server's certificate must name (pools of one address in both modes, during a migration, stay apart).
    const pools = new Map();
    const tls = options.tls;
    const sessions = new TlsSessionCache();
    const poolFor = (endpoint, mutual) => {
        const key = mutual === undefined ? endpoint.address : `${mutual}@${endpoint.address}`;
        let pool = pools.get(key);
        if (pool === undefined) {
            const { hostname, port } = endpoint.target;
            const host = hostname.includes(':') ? `[${hostname}]` : hostname;
            // http: even over TLS: the connector makes the TLS socket, and an https: origin would make undici
            // drop the connection whenever a request's Host differs from the last (its servername check).
            const connect = mutual === undefined ? undefined : createTlsConnector(mutual, { identity: tls.identity, trustDomain: tls.trustDomain, sessions, onHandshake: tls.onHandshake });
            pool = new Pool(`http://${host}:${port}`, { connections: options.connectionsPerInstance ?? 512, pipelining: 1, headersTimeout: 0, bodyTimeout: 0, ...(connect ? { connect } : {}) });
            pools.set(key, pool);
        }
        return pool;
    };
    const sweeper = setInterval(() => {
        for (const [address, pool] of pools) {
            const s = pool.stats;
            if (s.connected === 0 && s.pending === 0 && s.running === 0) {
                pools.delete(address);
                void pool.close();
            }
        }
    }, options.sweepMs ?? 60_000);
    sweeper.unref();
    const forward = (call) => new Promise((resolve) => {
        const attempt = call.attempt;
        attempt.settle = settleOnce(resolve);
        const service = call.service;
        const mutual = service.config.tls === 'mutual' ? service.name : undefined;
        // Before any connection: a call that cannot present a certificate says so, and is not held against the instance.
        if (mutual !== undefined && tls?.identity.secureContext() === undefined)
            return attempt.settle({ kind: 'error', error: noIdentity(mutual, tls !== undefined) });
        // Once per call; its retries send the same list.
        const headers = (call.upstreamHeaders ??= upstreamHeaderList(call));
        const handler = new AttemptHandler(attempt);
        try {
            poolFor(attempt.endpoint, mutual).dispatch({ path: call.req.url, method: call.method, headers, body: bodyOf(call) }, handler);
        }
        catch (err) {
            // undici refuses some requests before sending them (a header it will not write).
            handler.onError(err);
        }
    });
    return {
        kind: 'undici',
        forward,
        async close() {
            clearInterval(sweeper);
            const all = [...pools.values()];
            pools.clear();
            await Promise.all(all.map((pool) => pool.destroy()));
        },
    };
}
/** What the attempt sends: nothing, the request itself (streamed once), or the kept copy (a retry sends it again). */
function bodyOf(call) {
    const body = call.body;
    if (body === undefined)
        return hasBody(call.req) ? call.req : null;
    switch (body.kind) {
        case 'none':
            return null;
        case 'streaming':
            return body.stream;
        case 'buffered':
            return body.chunks.length === 1 ? body.chunks[0] : Buffer.concat(body.chunks);
    }
}
class AttemptHandler {
    attempt;
    body = undefined;
    constructor(attempt) {
        this.attempt = attempt;
    }
    onConnect(abort) {
        if (this.attempt.abandoned)
            return abort(new AttemptCancelled());
        this.attempt.cancel = () => abort(new AttemptCancelled());
    }
    onHeaders(statusCode, rawHeaders, resume, statusText) {
        // 1xx informational answers (103 Early Hints) are not the response.
        if (statusCode < 200)
            return true;
        const headers = new Array(rawHeaders.length);
        for (let i = 0; i < rawHeaders.length; i++)
            headers[i] = rawHeaders[i].toString('latin1');
        const body = (this.body = new UpstreamBody(resume, () => this.attempt.cancel?.()));
        this.attempt.settle?.({ kind: 'response', response: { statusCode, statusMessage: statusText || undefined, rawHeaders: headers, body, relayTo: (sink) => body.relayTo(sink) } });
        return true;
    }
    onData(chunk) {
        return this.body.accept(chunk);
    }
    onComplete() {
        this.body.complete();
    }
    onError(err) {
        if (this.body)
            this.body.destroy(err);
        else {
            const refused = refusedReason(err);
            const id = this.attempt.endpoint.id;
            this.attempt.settle?.({ kind: 'error', error: refused === undefined ? upstreamFailure(id, asErrno(err)) : upstreamTls(id, refused, err) });
        }
    }
}
class AttemptCancelled extends Error {
    code = 'ATTEMPT_CANCELLED';
    constructor() {
        super('attempt cancelled');
    }
}
/**
 * undici's errors in node:http's terms, so one classifier (errors.ts) serves
 * both forwarders: a socket closed under a request is a reset, named by its
 * cause when there is one.
 */
function asErrno(err) {
    const e = err;
    if (e.code === 'UND_ERR_SOCKET')
        return Object.assign(new Error(e.message), { code: e.cause?.code ?? 'ECONNRESET' });
    return e;
}
//# sourceMappingURL=undici-forwarder.js.map