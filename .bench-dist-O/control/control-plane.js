import { once } from 'node:events';
import { checkAdminToken } from '../proxy/admin/auth.js';
import { formatHostPort, isLoopback } from '../proxy/config/listen-address.js';
import { DEFAULT_LEAF_TTL_MS } from './ca/leaf-limits.js';
import { JoinTokens } from './ca/join-tokens.js';
import { createControlMetrics } from './api/control-metrics.js';
import { createControlApp } from './api/control-app.js';
import { keysUnder } from './keys.js';
import { DesiredState } from './push/desired-state.js';
import { ObservedProxies } from './push/observed-proxies.js';
import { StreamHub } from './push/stream-hub.js';
import { storeEpoch } from './replica/epoch.js';
import { DeadlineRecordingStore, readDeadlines } from './replica/lease-deadlines.js';
import { startReplicaDuties } from './replica/replica.js';
import { adoptPeerVersion } from './replica/replica-status.js';
import { MemoryStore } from './store/memory/memory-store.js';
import { realTimers } from '../proxy/core/timers.js';
/** Refused before anything listens: the control plane changes every proxy's traffic. */
export class ControlExposedError extends Error {
    // The CLI treats this code as a refused flag (exit 2), as it does for a proxy's admin.
    code = 'ADMIN_EXPOSED';
    name = 'ControlExposedError';
    constructor(host) {
        super(`refusing to serve the control plane on non-loopback address ${host} without a token: set --token or FAULTMESH_CONTROL_TOKEN`);
    }
}
/**
 * The rules a start would refuse, checked before anything listens or
 * connects; `faultmesh control --check` runs them too, so it passes only a
 * command line the real start accepts.
 * @example checkControlOptions({ listen: { host: '0.0.0.0', port: 15100 } }) // throws ControlExposedError
 */
export function checkControlOptions(options) {
    checkAdminToken(options.token, 'the control token', 'the control plane');
    if (!isLoopback(options.listen.host) && !options.token)
        throw new ControlExposedError(options.listen.host);
}
/**
 * Starts `faultmesh control`. The pieces, in the order requests meet them:
 * the store (desired state), the desired-state watcher over it, the
 * observed state of each proxy, the stream hub that pushes every version,
 * and the HTTP API in front.
 */
export async function startControlPlane(options) {
    checkControlOptions(options);
    const timers = options.timers ?? realTimers;
    const now = options.now ?? (() => timers.now());
    const ownStore = options.store === undefined;
    const given = options.store ?? new MemoryStore({ dataDir: options.dataDir, timers });
    const keys = keysUnder();
    // A shared store's leases get a recorded deadline beside them (etcd renews every lease in full when it restarts).
    const store = given.shared ? new DeadlineRecordingStore(given, keys, now) : given;
    const processStartedAt = new Date(now());
    const desired = new DesiredState(store, keys, now, store.shared ? () => readDeadlines(store, keys) : undefined, timers);
    let startedAt;
    try {
        startedAt = await storeEpoch(store, keys, now);
        await desired.start();
        if (store.shared)
            await adoptPeerVersion(store, keys, desired);
    }
    catch (err) {
        if (ownStore)
            await store.close();
        throw err;
    }
    const observed = new ObservedProxies(now);
    const hub = new StreamHub(desired, observed, timers);
    const replica = store.shared ? startReplicaDuties({ store, raw: given, keys, desired, observed, hub, timers, now, pollMs: options.leasePollMs }) : undefined;
    const ctx = {
        store: replica?.reads ?? store,
        keys,
        desired,
        observed,
        everyProxy: async () => (replica ? replica.everyProxy() : observed.list()),
        now,
        health: replica?.health,
        publishError: replica && (() => replica.publishError()),
        maxTtlMs: options.maxTtlMs ?? 3_600_000,
    };
    const log = options.log ?? ((line) => process.stderr.write(`faultmesh: ${line}\n`));
    // The real store, not the last-seen reads: a replica that cannot reach etcd must not honour a token revoked meanwhile.
    const tokens = new JoinTokens(store, keys, now);
    const metrics = createControlMetrics();
    const issuance = options.ca && {
        ca: options.ca,
        tokens,
        certTtlMs: options.certTtlMs ?? DEFAULT_LEAF_TTL_MS,
        log,
        onIssued: (service) => metrics.certificatesIssued.labels(service).inc(),
        onRefused: (code) => metrics.certificatesRefused.labels(code).inc(),
    };
    const ca = { tokens, issuance, metrics };
    const app = createControlApp({ ctx, hub, token: options.token, access: { listenHost: options.listen.host, hosts: options.adminHosts, origins: options.adminOrigins }, startedAt, processStartedAt, storeName: options.storeName, ca });
    const server = app.listen(options.listen.port, options.listen.host);
    try {
        await once(server, 'listening');
    }
    catch (err) {
        await replica?.stop();
        hub.close();
        desired.stop();
        if (ownStore)
            await store.close();
        throw err;
    }
    // Streams are long-lived by design; only the time to send request headers is bounded.
    server.requestTimeout = 0;
    server.headersTimeout = 10_000;
    server.keepAliveTimeout = 5_000;
    const addr = server.address();
    const url = `http://${formatHostPort(addr.address, addr.port)}`;
    replica?.start(url);
    return {
        url,
        store,
        async close() {
            await replica?.stop();
            hub.close();
            desired.stop();
            server.closeAllConnections();
            await new Promise((resolve) => server.close(() => resolve()));
            if (ownStore)
                await store.close();
        },
    };
}
//# sourceMappingURL=control-plane.js.map