/** How long a client may keep its side open once the upstream has closed its own. */
const CLOSE_LINGER_MS = 2000;
const PASS = Symbol('faultmesh.upgrade');
/**
 * Upgrades through http-proxy-middleware's `ws` support: one middleware
 * instance, created with `ws: true` and a `router` that returns the
 * instance upgrade.ts chose, called as `middleware.upgrade(req, socket,
 * head)`. It never sees plain requests, so it never subscribes to the
 * server's 'upgrade' event itself; upgrade.ts owns that event.
 */
export function createHpmUpgrader() {
    const wire = (proxyServer) => {
        // http-proxy passes only `GET` with `Upgrade: websocket` and destroys any
        // other upgrade without a word; upgrade.ts decides what passes.
        const server = proxyServer;
        server.wsPasses = server.wsPasses.filter((pass) => pass.name !== 'checkMethodAndHeader');
        proxyServer.on('proxyReqWs', (proxyReq, req, socket) => {
            const pass = req[PASS];
            if (!pass || socket.destroyed) {
                proxyReq.destroy();
                return;
            }
            pass.proxyReq = proxyReq;
            // http-proxy adds its own listeners right after this event: these run
            // first, so the head they are handed is the one it then writes.
            proxyReq.once('upgrade', (res, upstream) => {
                pass.upstream = upstream;
                tie(socket, upstream);
                pass.events.answered(101, res.headers);
            });
            proxyReq.once('response', (res) => {
                // http-proxy writes these headers as they are and pipes the decoded
                // body: a chunked framing header would then lie. The body runs to the close instead.
                delete res.headers['transfer-encoding'];
                delete res.headers['keep-alive'];
                res.headers.connection = 'close';
                pass.events.answered(res.statusCode ?? 502, res.headers);
            });
        });
        // Any failure of the upstream side, with the request it belongs to; http-proxy ends the client's socket right after.
        proxyServer.on('error', (err, req) => req[PASS]?.events.failed(err));
    };
    // http-proxy-middleware is loaded on the first upgrade (and the first call
    // through the hpm forwarder): a proxy that sees neither does not carry it.
    let middleware;
    let loading;
    const load = () => (loading ??= import('http-proxy-middleware').then(({ createProxyMiddleware }) => (middleware = createProxyMiddleware({
        ws: true,
        router: (req) => req[PASS].ex.endpoint.target,
        changeOrigin: false,
        // req.url is origin-form already (request-target.ts): used as is, not re-parsed.
        toProxy: true,
        // Our own wiring, not HPM's default plugins, which log and write error pages.
        ejectPlugins: true,
        plugins: [wire],
    }))));
    return {
        pass(ex, head, events) {
            const pass = { ex, events, cancelled: false };
            ex.req[PASS] = pass;
            const send = (m) => {
                if (!pass.cancelled && !ex.socket.destroyed)
                    m.upgrade(ex.req, ex.socket, head);
            };
            if (middleware)
                send(middleware);
            else
                load().then(send, (err) => events.failed(err));
            return () => {
                pass.cancelled = true;
                pass.proxyReq?.destroy();
                pass.upstream?.destroy();
            };
        },
    };
}
/**
 * Ties the two sides' lifetimes together once upgraded. http-proxy pipes
 * them both ways, so a clean close from either side reaches the other;
 * this covers the rest: a client gone frees the upstream socket, and a
 * client that keeps its side open after the upstream closed is cut.
 */
function tie(client, upstream) {
    client.once('close', () => upstream.destroy());
    upstream.once('close', () => {
        if (client.destroyed)
            return;
        client.end();
        const timer = setTimeout(() => client.destroy(), CLOSE_LINGER_MS);
        timer.unref();
        client.once('close', () => clearTimeout(timer));
    });
}
//# sourceMappingURL=hpm-upgrade.js.map