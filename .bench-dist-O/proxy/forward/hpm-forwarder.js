import { Agent } from 'node:http';
import { tlsUnsupported, upstreamFailure } from '../errors.js';
import { prepareUpstreamHeaders } from '../http/headers.js';
import { bodyForAttempt } from '../http/request-body.js';
import { settleOnce } from './forwarder.js';
const CALL = Symbol('faultmesh.call');
const ATTEMPT = Symbol('faultmesh.attempt');
/**
 * The http-proxy-middleware forwarder (`--forwarder hpm`, a service's
 * `forwarder: hpm`): the user's library of choice and the compatibility
 * path. It sends the call's current attempt to its instance through HPM over
 * one shared keep-alive agent, and settles with the upstream's response
 * (headers received, body not yet read) or a typed error. Every event from
 * http-proxy is routed to the attempt that caused it, so a late answer to an
 * abandoned attempt cannot settle a retry.
 */
export function createHpmForwarder() {
    // At most 512 connections per upstream instance.
    const agent = new Agent({ keepAlive: true, maxSockets: 512 });
    // Our own event wiring instead of HPM's default plugins: they log and write
    // error pages, which error-response.ts does in one place for the whole proxy.
    const wire = (proxyServer) => {
        // http-proxy's deleteLength pass turns a chunked DELETE into an empty one;
        // drop it so such bodies reach the upstream intact.
        const server = proxyServer;
        server.webPasses = server.webPasses.filter((pass) => pass.name !== 'deleteLength');
        proxyServer.on('proxyReq', (proxyReq, _req, _res, options) => {
            const attempt = options.target[ATTEMPT];
            proxyReq[ATTEMPT] = attempt;
            attempt.cancel = () => proxyReq.destroy();
            if (attempt.abandoned)
                proxyReq.destroy();
        });
        proxyServer.on('proxyRes', (response) => {
            const attempt = response.req[ATTEMPT];
            if (attempt)
                attempt.settle?.({ kind: 'response', response: { statusCode: response.statusCode ?? 502, statusMessage: response.statusMessage, rawHeaders: response.rawHeaders, body: response } });
            else
                response.destroy();
        });
        proxyServer.on('error', (err, _req, _res, target) => {
            const attempt = target?.[ATTEMPT];
            attempt?.settle?.({ kind: 'error', error: upstreamFailure(attempt.endpoint.id, err) });
        });
    };
    // HPM copies these options per request (Object.assign, synchronously,
    // before its first await), and http-proxy reads the body of a replay from
    // `buffer`. A plain data property, set around each call, gives each attempt
    // its own. It used to be a getter, which kept that copy off V8's fast path:
    // issue #16's profile put it at 11.5 µs a request, all of HPM's own work
    // alone at 3.2 µs.
    const options = {
        router: (req) => targetOf(req[CALL].attempt),
        agent,
        selfHandleResponse: true,
        changeOrigin: false,
        // req.url is already origin-form (request-target.ts made it so): toProxy
        // makes http-proxy use it as is instead of re-parsing it with url.parse.
        toProxy: true,
        ejectPlugins: true,
        plugins: [wire],
        buffer: undefined,
    };
    // Loaded on the first call that names this forwarder: a proxy on undici alone does not carry it.
    let middleware;
    let loading;
    const load = () => (loading ??= import('http-proxy-middleware').then(({ createProxyMiddleware }) => (middleware = createProxyMiddleware(options))));
    const forward = (call) => {
        // The mTLS connector is undici's (transport/tls-connector.ts): refused here, never sent in clear to an mTLS listener.
        if (call.service.config.tls === 'mutual')
            return Promise.resolve({ kind: 'error', error: tlsUnsupported(call.service.name, 'the hpm forwarder', `set forwarder: undici on service "${call.service.name}" (or run the proxy with --forwarder undici)`) });
        return middleware ? send(call, middleware) : load().then((m) => send(call, m));
    };
    const send = (call, middleware) => new Promise((resolve) => {
        const attempt = call.attempt;
        attempt.settle = settleOnce(resolve);
        // Once per call, on its first forwarded attempt, which is not attempt 0
        // when a fault answered that one: the mark set here tells.
        if (call.req[CALL] !== call)
            prepareUpstreamHeaders(call);
        call.req[CALL] = call;
        options.buffer = bodyForAttempt(call.body);
        try {
            void middleware(call.req, call.res, (err) => {
                attempt.settle?.({ kind: 'error', error: upstreamFailure(attempt.endpoint.id, err) });
            });
        }
        finally {
            options.buffer = undefined;
        }
    });
    return {
        kind: 'hpm',
        forward,
        close: async () => agent.destroy(),
    };
}
/** A fresh target per attempt (http-proxy reads it, never keeps it), tagged with its attempt. */
function targetOf(attempt) {
    const t = attempt.endpoint.target;
    return { protocol: t.protocol, host: t.host, hostname: t.hostname, port: t.port, path: t.path, [ATTEMPT]: attempt };
}
//# sourceMappingURL=hpm-forwarder.js.map