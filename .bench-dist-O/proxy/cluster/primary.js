import { notReadyReason } from '../admin/admin-app.js';
import { instanceStates } from '../admin/instance-state.js';
import { formatHostPort } from '../config/listen-address.js';
import { MeshState } from '../mesh-state.js';
import { DATA_PLANE_OPTIONS } from '../data-plane.js';
import { adminFor, checkProxyOptions, closeAdminSide, listenAdmin, openEnrollment, openSources, startControlSide } from '../proxy-app.js';
import { openFileIdentity } from '../identity/file-identity.js';
import { createMetrics } from '../telemetry/metrics.js';
import { clusterAdmin } from './cluster-admin.js';
import { ClusterRegistry } from './cluster-registry.js';
import { adoptEjection, liveEjections } from './ejections.js';
import { StateFeed } from './state-feed.js';
import { WorkerPool } from './worker-pool.js';
/** How long an admin read that shows counts waits for the workers. */
const COUNTS_WAIT_MS = 1_000;
/**
 * A proxy on several cores (`faultmesh proxy --workers N`), this process
 * being the cluster primary. It owns what a single proxy owns but for the
 * data plane: the admin API, the mesh file and its reloads or the
 * control-plane connection, registrations, the fault rules and their
 * leases, and /metrics. Workers (worker.ts) each run the whole stack on a
 * listener they share, on the state this process sends (state-feed.ts):
 * a change is answered, or acknowledged to the control plane, once every
 * live worker applied it.
 */
export async function startPrimary(options, cluster) {
    checkProxyOptions(options);
    const log = cluster.log ?? ((line) => process.stderr.write(`faultmesh: ${line}\n`));
    const now = options.now ?? Date.now;
    const random = options.random ?? Math.random;
    const waitMs = cluster.applyWaitMs ?? 5_000;
    // Both exist before anything calls confirm: the control client starts only once the admin API listens.
    let feed;
    let pool;
    const confirm = async () => {
        const version = feed.flush();
        return problemOf(await pool.waitApplied(version, waitMs), version, waitMs);
    };
    // First, as for one process: with a join token, no worker starts before the certificate it is sent is in hand.
    const enrolled = await openEnrollment({ ...options, log: options.log ?? log }, now);
    const { control, faultSource, meshSource } = await openSources({ ...options, control: options.control && { ...options.control, confirm } }, now, random);
    const store = faultSource.store;
    // The primary serves no traffic: no in-flight requests of its own, and ejections only as the workers report them.
    const metrics = createMetrics({ activeFaults: () => store.list().length, inFlight: () => 0, instances: () => instanceStates(mesh) });
    const mesh = new MeshState(meshSource, { random, now, onEject: () => { } }, () => notReadyReason(control?.health()));
    feed = new StateFeed({ store, mesh, broadcast: (state) => pool.broadcast({ type: 'state', state }) });
    faultSource.onChange(() => feed.changed());
    meshSource.onSnapshot(() => feed.changed());
    // The primary reads the identity files and sends the identity to its workers (start, then each change), rather
    // than each worker reading them: one read per reload, so no two workers can hold different certificates.
    const fileIdentity = openFileIdentity({ ...options, log: options.log ?? log });
    // From the files or from the control plane's CA (renewed there): the workers are sent each new one alike.
    const identity = fileIdentity?.holder ?? enrolled?.holder;
    identity?.onChange((id) => pool.broadcast({ type: 'identity', identity: id }));
    pool = new WorkerPool({
        count: cluster.workers,
        settings: dataPlaneOptionsOf(options),
        join: () => ({ state: feed.full(), ejections: liveEjections(mesh.table()), identity: identity?.current() }),
        onEjected: (from, ejection) => {
            adoptEjection(mesh.table(), ejection);
            pool.broadcast({ type: 'eject', ejection }, from);
        },
        log,
        onGiveUp: (reason) => {
            log(reason);
            if (cluster.onGiveUp)
                return cluster.onGiveUp(reason, running);
            log('stopping: fix what makes the workers exit (their last lines above say why), then start the proxy again');
            void running.close(0).finally(() => process.exit(1));
        },
    });
    const at = await pool.start();
    const sweeper = setInterval(() => faultSource.sweep(), 1000);
    sweeper.unref();
    const refresh = async () => {
        await pool.collect(COUNTS_WAIT_MS);
        sumCounts(store, pool);
    };
    // The control plane's reports (every 2 s) read the counts from the primary's rules: keep them near.
    const counter = setInterval(() => void refresh(), 1000);
    counter.unref();
    const { admin, reload } = adminFor(options, {
        mesh,
        metrics: { ...metrics, registry: new ClusterRegistry(metrics.registry, (ms) => pool.metrics(ms)) },
        faultSource,
        control,
        now,
        inFlight: () => pool.inFlight(),
        workers: () => pool.describe(feed.version),
        certificate: identity && (() => identity.describe()),
    });
    let adminServer;
    try {
        adminServer = await listenAdmin(clusterAdmin(admin, { confirm, refresh }), options.admin);
    }
    catch (err) {
        await pool.shutdown(0);
        throw err;
    }
    const { adminUrl, registration } = await startControlSide(adminServer, control, mesh, options, now);
    let closing;
    const running = {
        proxyUrl: `http://${formatHostPort(at.host, at.port)}`,
        adminUrl,
        metrics,
        faults: store,
        mesh,
        reload,
        reloadIdentity: fileIdentity && (() => fileIdentity.reload()),
        workers: pool,
        close: (drainMs = 10_000) => (closing ??= (async () => {
            clearInterval(sweeper);
            fileIdentity?.close();
            await enrolled?.enrollment.close();
            clearInterval(counter);
            // Deregistered first, so callers stop sending to the app while the workers drain.
            await registration?.close();
            const result = await pool.shutdown(drainMs);
            await closeAdminSide(adminServer, control, mesh, faultSource);
            return result;
        })()),
    };
    return running;
}
/** What a worker is given of the options: the data plane's part, which structured clone can carry. */
export function dataPlaneOptionsOf(o) {
    return Object.fromEntries(DATA_PLANE_OPTIONS.map((key) => [key, o[key]]));
}
/** Each rule's counts on the primary become the sums over its workers (GET /v1/faults, the control plane's reports). */
function sumCounts(store, pool) {
    const live = store.list();
    const sums = pool.ruleCounts(new Set(live.map((r) => r.id)));
    for (const rule of live)
        Object.assign(rule.counters, sums.get(rule.id) ?? { matched: 0, hit: 0, active: 0 });
}
function problemOf(lagging, version, waitMs) {
    if (lagging.length === 0)
        return undefined;
    const who = lagging.map((l) => `worker ${l.index} (pid ${l.pid ?? '?'})`).join(', ');
    return `${who} did not apply version ${version} within ${waitMs / 1000}s; the change is in force on the primary and on the workers that answered, and reaches the others when they answer (or their replacement starts)`;
}
//# sourceMappingURL=primary.js.map