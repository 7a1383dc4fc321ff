import { DelegatingStore } from '../store/delegating-store.js';
import { isStoreError, StoreError } from '../store/store.js';
/** How far past its recorded deadline a lease may live before a replica revokes it: clocks of different hosts differ a little. */
export const DEADLINE_GRACE_MS = 1_000;
/**
 * etcd gives every lease its whole ttl again when it restarts or elects a
 * new leader, so a fault whose holder died would outlive it by a ttl per
 * election, or come back after proxies had already ended it. The control
 * plane grants and renews its leases, so it records each one's deadline
 * beside it (on the lease itself, so it goes with it); pushes never count
 * past it, and replicas revoke a lease that outlived it (LeaseReaper).
 *
 * A Store that does that on every grant and renewal. The record is also
 * what makes a lease this control plane's: an etcd shared by other meshes
 * or programs holds leases of theirs, and a lease id is easy to guess, so
 * renewing, revoking or hanging a key on a lease without a record under
 * this prefix is LEASE_NOT_FOUND, as it would be for a lease that ended.
 * A lease's remainder never counts past its deadline. Everything else is
 * the store underneath.
 */
export class DeadlineRecordingStore extends DelegatingStore {
    keys;
    now;
    constructor(inner, keys, now) {
        super(inner);
        this.keys = keys;
        this.now = now;
    }
    async grantLease(ttlMs) {
        const lease = await this.inner.grantLease(ttlMs);
        await this.record(lease.id, lease.ttlMs);
        return lease;
    }
    /**
     * The deadline first, then the renewal: a renewal that etcd made but whose
     * deadline never landed (this replica dying in between) would have the
     * lease revoked under a holder that renewed it. A deadline written for a
     * renewal that then failed harms nothing: etcd ends the lease by itself.
     */
    async keepAlive(id) {
        const recorded = await this.recorded(id);
        await this.record(id, recorded.ttlMs);
        return this.inner.keepAlive(id);
    }
    async revokeLease(id) {
        await this.recorded(id);
        return this.inner.revokeLease(id);
    }
    async put(key, value, options) {
        if (options?.lease !== undefined)
            await this.recorded(options.lease);
        return this.inner.put(key, value, options);
    }
    async leaseTtl(id) {
        const [ttl, kv] = await Promise.all([this.inner.leaseTtl(id), this.inner.get(this.keys.leaseDeadline(id))]);
        const until = kv?.value?.until;
        if (ttl === undefined || typeof until !== 'number')
            return ttl;
        const left = until - this.now();
        return left > 0 ? Math.min(ttl, left) : undefined;
    }
    /** The lease's record, or LEASE_NOT_FOUND: a lease this control plane did not grant is none of its business. */
    async recorded(id) {
        const value = (await this.inner.get(this.keys.leaseDeadline(id)))?.value;
        if (typeof value?.ttlMs !== 'number' || typeof value.until !== 'number')
            throw new StoreError('LEASE_NOT_FOUND', `lease "${id}" has expired or was revoked, or was not granted by this control plane`);
        return value;
    }
    /** A lease that ended between its renewal and this write has no deadline to keep: nothing to do. */
    async record(id, ttlMs) {
        const value = { until: this.now() + ttlMs, ttlMs };
        try {
            await this.inner.put(this.keys.leaseDeadline(id), value, { lease: id });
        }
        catch (err) {
            if (!isStoreError(err, 'LEASE_NOT_FOUND'))
                throw err;
        }
    }
}
/** Every recorded deadline, by lease id. */
export async function readDeadlines(store, keys) {
    const { items } = await store.list(keys.leases);
    const out = new Map();
    for (const kv of items) {
        const until = kv.value.until;
        if (typeof until === 'number')
            out.set(kv.key.slice(keys.leases.length), until);
    }
    return out;
}
/**
 * Every second, revokes each lease that outlived its recorded deadline by
 * more than the grace: its keys (faults, registrations, overrides) are
 * deleted in one revision and every replica pushes their end. Each
 * replica runs one; revoking a lease another already revoked is a no-op.
 */
export class LeaseReaper {
    store;
    keys;
    timers;
    everyMs;
    timer;
    stopped = false;
    constructor(store, keys, timers, everyMs = 1_000) {
        this.store = store;
        this.keys = keys;
        this.timers = timers;
        this.everyMs = everyMs;
    }
    start() {
        if (this.stopped)
            return;
        this.timer = this.timers.setTimeout(() => void this.reap().finally(() => this.start()), this.everyMs);
        this.timer.unref?.();
    }
    stop() {
        this.stopped = true;
        this.timers.clearTimeout(this.timer);
    }
    async reap() {
        try {
            const now = this.timers.now();
            for (const [id, until] of await readDeadlines(this.store, this.keys)) {
                if (until + DEADLINE_GRACE_MS >= now)
                    continue;
                await this.store.revokeLease(id).catch((err) => {
                    if (!isStoreError(err, 'LEASE_NOT_FOUND'))
                        throw err;
                });
            }
        }
        catch {
            // The store out of reach: the next round tries again, and /healthz says why.
        }
    }
}
//# sourceMappingURL=lease-deadlines.js.map