import { DelegatingStore } from '../store/delegating-store.js';
/**
 * The store as the control plane's API sees it on a shared store. While
 * the replica cannot reach etcd (StoreHealth), reads are answered from the
 * last state it saw, so `faultmesh status`, `mesh get` and `faults list`
 * still work when an operator needs them most, and `/healthz` says the
 * store is unavailable and since when; writes are refused before they get
 * here (store-gate.ts). A lease's remainder counts down to its recorded
 * deadline (or from the last time it was read).
 */
export class LastSeenReads extends DelegatingStore {
    health;
    seen;
    ttls = new Map();
    constructor(inner, health, seen) {
        super(inner);
        this.health = health;
        this.seen = seen;
    }
    /** True while reads are answered from the last state seen. */
    get stale() {
        return !this.health.state.ok;
    }
    async get(key) {
        if (this.stale)
            return this.seen.items().find((kv) => kv.key === key);
        return this.inner.get(key);
    }
    async list(prefix) {
        if (!this.stale)
            return this.inner.list(prefix);
        const items = this.seen.items().filter((kv) => kv.key.startsWith(prefix));
        return { items, revision: items.reduce((max, kv) => Math.max(max, kv.modRevision), 0) };
    }
    async leaseTtl(id) {
        if (this.stale) {
            // The recorded deadline of every lease the control plane granted; else the countdown from the last read.
            const until = this.seen.deadline(id);
            const last = this.ttls.get(id);
            const left = until !== undefined ? until - this.seen.now() : last && last.ms - (this.seen.now() - last.at);
            return left !== undefined && left > 0 ? left : undefined;
        }
        const ms = await this.inner.leaseTtl(id);
        if (ms === undefined)
            this.ttls.delete(id);
        else
            this.ttls.set(id, { ms, at: this.seen.now() });
        // Bounded: leases read once and never again (ended ones) would pile up.
        if (this.ttls.size > 100_000)
            this.ttls.clear();
        return ms;
    }
}
//# sourceMappingURL=last-seen-reads.js.map