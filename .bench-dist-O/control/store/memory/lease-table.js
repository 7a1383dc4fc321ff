import { randomBytes } from 'node:crypto';
import { MAX_TIMER_MS } from '../../../proxy/core/timers.js';
/**
 * The memory store's leases, each with one timer on the injected clock. A
 * keepalive only moves `expiresAt`: the timer, when it fires early, looks at
 * the clock and sets itself again for what is left, so renewals cost no
 * timer churn and ttls past setTimeout's limit still wait their whole time.
 */
export class LeaseTable {
    timers;
    onExpire;
    leases = new Map();
    constructor(timers, 
    /** Called once per lease whose time ran out, synchronously, with the lease already removed. */
    onExpire) {
        this.timers = timers;
        this.onExpire = onExpire;
    }
    grant(ttlMs) {
        if (!Number.isSafeInteger(ttlMs) || ttlMs <= 0)
            throw new RangeError(`a lease ttl must be a positive whole number of ms, not ${ttlMs}`);
        // Random, never counted: a restarted store must not give a new holder the id an old holder still renews.
        const lease = { id: randomBytes(8).toString('hex'), ttlMs, expiresAt: this.timers.now() + ttlMs, keys: new Set(), timer: undefined };
        this.leases.set(lease.id, lease);
        this.arm(lease);
        return lease;
    }
    /** The lease if it is still live. One whose time has run out but whose timer is late ends here, first. */
    live(id) {
        const lease = this.leases.get(id);
        if (lease && this.timers.now() >= lease.expiresAt) {
            this.expire(lease);
            return undefined;
        }
        return lease;
    }
    /** The lease as held, without looking at the clock (to detach a key from it). */
    peek(id) {
        return this.leases.get(id);
    }
    keepAlive(lease) {
        lease.expiresAt = this.timers.now() + lease.ttlMs;
    }
    remaining(lease) {
        return Math.max(0, lease.expiresAt - this.timers.now());
    }
    /** Forgets the lease without calling onExpire (revoke: the caller deletes its keys). */
    remove(lease) {
        this.timers.clearTimeout(lease.timer);
        this.leases.delete(lease.id);
    }
    /** Stops every timer (the store is closing). */
    clear() {
        for (const lease of this.leases.values())
            this.timers.clearTimeout(lease.timer);
        this.leases.clear();
    }
    arm(lease) {
        const wait = Math.min(MAX_TIMER_MS, Math.max(0, lease.expiresAt - this.timers.now()));
        lease.timer = this.timers.setTimeout(() => {
            if (this.leases.get(lease.id) !== lease)
                return;
            if (this.timers.now() >= lease.expiresAt)
                this.expire(lease);
            else
                this.arm(lease);
        }, wait);
    }
    expire(lease) {
        this.remove(lease);
        this.onExpire(lease);
    }
}
//# sourceMappingURL=lease-table.js.map