import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { LastSeenReads } from './last-seen-reads.js';
import { LeaseReaper } from './lease-deadlines.js';
import { everyProxy, ReplicaStatus } from './replica-status.js';
import { PROBE_EVERY_MS, StoreHealth } from './store-health.js';
/**
 * The duties of a replica, each in its own module: probing the store
 * (StoreHealth; unhealthy ends this replica's proxy streams so they move
 * to a replica that can reach it), re-reading lease remainders renewed
 * through other replicas, publishing its proxies (ReplicaStatus), revoking
 * leases past their recorded deadline (LeaseReaper), and answering reads
 * from the last state seen while the store is out of reach.
 */
export function startReplicaDuties(deps) {
    const { store, keys, desired, observed, hub, timers } = deps;
    const pollMs = deps.pollMs ?? PROBE_EVERY_MS;
    // Unique per process, even for two replicas in one process (tests): it names this replica's key of proxies.
    const id = `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
    let url = '';
    const health = new StoreHealth(store, timers, pollMs);
    health.onChange((state) => !state.ok && hub.endAll());
    health.start();
    desired.pollLeases(timers, pollMs);
    const reaper = new LeaseReaper(store, keys, timers);
    reaper.start();
    // On the store without lease records: this replica's own lease is not one a client may renew, revoke or hang a fault on.
    const status = new ReplicaStatus(deps.raw, keys, observed, timers, id, () => url, () => desired.current);
    return {
        health,
        reads: new LastSeenReads(store, health, {
            items: () => desired.lastListed,
            deadline: (lease) => desired.lastListed.find((kv) => kv.key === keys.leaseDeadline(lease))?.value?.until,
            now: deps.now,
        }),
        everyProxy: () => everyProxy(store, keys, observed, id),
        publishError: () => status.lastError,
        start(listening) {
            url = listening;
            status.start();
        },
        async stop() {
            await status.stop();
            reaper.stop();
            health.stop();
        },
    };
}
//# sourceMappingURL=replica.js.map