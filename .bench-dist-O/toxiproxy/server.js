import { once } from 'node:events';
import { checkAdminToken } from '../proxy/admin/auth.js';
import { formatHostPort, isLoopback } from '../proxy/config/listen-address.js';
import { realTimers } from '../proxy/core/timers.js';
import { createToxiproxyApp } from './api/toxiproxy-app.js';
import { applyToxiproxyConfig } from './config/load-config.js';
import { createToxiproxyMetrics } from './metrics.js';
import { ControlRegistry } from './registry/control-registry.js';
import { LocalRegistry } from './registry/local-registry.js';
/** Refused at start: an API that changes traffic, reachable from other hosts, with no token. */
export class ToxiproxyExposedError extends Error {
    // The CLI treats this code as a refused flag (exit 2), as it does for the admin API and the control plane.
    code = 'ADMIN_EXPOSED';
    name = 'ToxiproxyExposedError';
    constructor(host) {
        super(`refusing to serve the Toxiproxy API on non-loopback address ${host} without a token: set --token or FAULTMESH_TOXIPROXY_TOKEN (Toxiproxy's clients cannot send one, so keep it on loopback for them)`);
    }
}
/** What a start would refuse, checked before anything listens: the CLI runs it on the flags first. */
export function checkToxiproxyOptions(options) {
    checkAdminToken(options.token, 'the Toxiproxy API token', 'the Toxiproxy API');
    if (!isLoopback(options.listen.host) && !options.token)
        throw new ToxiproxyExposedError(options.listen.host);
}
/**
 * Starts `faultmesh toxiproxy`: the registry, the --config proxies in it,
 * then the API. Anything that fails on the way closes what was started,
 * so a failed start leaves no listener behind. The registry is local, or
 * with --control the control plane's (its set taken first: a control plane
 * out of reach fails the start with a ControlFailure); both are handed to
 * the same API.
 */
export async function startToxiproxyServer(options) {
    checkToxiproxyOptions(options);
    const timers = options.timers ?? realTimers;
    const control = options.control;
    const registry = control
        ? new ControlRegistry({ urls: control.urls, token: control.token, timers, retryTimers: control.retryTimers, random: options.random, log: options.log, pollWaitMs: control.pollWaitMs })
        : new LocalRegistry({ timers, random: options.random });
    let server;
    try {
        if (registry instanceof ControlRegistry)
            await registry.connect();
        if (options.config)
            await applyToxiproxyConfig(registry, options.config);
        const metrics = createToxiproxyMetrics(registry);
        const app = createToxiproxyApp({
            registry,
            metrics: metrics.registry,
            access: { listenHost: options.listen.host, hosts: options.hosts ?? [], token: options.token },
            version: options.version,
            startedAt: new Date(timers.now()),
            now: () => timers.now(),
            control: registry instanceof ControlRegistry ? () => registry.control() : undefined,
        });
        server = app.listen(options.listen.port, options.listen.host);
        await once(server, 'listening');
    }
    catch (err) {
        server?.close();
        await registry.close();
        throw err;
    }
    server.headersTimeout = 10_000;
    server.requestTimeout = 30_000;
    const addr = server.address();
    const running = server;
    return {
        url: `http://${formatHostPort(addr.address, addr.port)}`,
        registry,
        async close() {
            const closed = new Promise((resolve) => running.close(() => resolve()));
            running.closeAllConnections();
            await Promise.all([closed, registry.close()]);
        },
    };
}
//# sourceMappingURL=server.js.map