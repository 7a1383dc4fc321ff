import { randomUUID } from 'node:crypto';
import { isStoreError } from '../store/store.js';
import { ToxiproxyError } from '../../toxiproxy/toxiproxy-error.js';
import { inForce, leasesOf, setOf } from './toxiproxy-set.js';
/** Tries of one change against writes from other processes before it gives up (each try is one read and one compare-and-set). */
const MAX_TRIES = 32;
/** Far below etcd's request limit (1.5 MiB), and more proxies and toxics than any test suite makes. */
const MAX_SET_BYTES = 1024 * 1024;
/**
 * The toxiproxy set in the store. Every read sweeps the toxics whose lease
 * ended (the marker key on the lease is gone, or its end has passed) and
 * writes the swept set back, so the end of a lease reaches every process
 * even when the one that made the toxic is dead: the control plane is the
 * one place that says what exists. Changes are compare-and-set on the one
 * key, tried again on a newer set when another write came first.
 */
export class ToxiproxyStore {
    store;
    keys;
    now;
    constructor(store, keys, now) {
        this.store = store;
        this.keys = keys;
        this.now = now;
    }
    async read() {
        for (let i = 0; i < MAX_TRIES; i++) {
            const { items, revision: storeRevision } = await this.store.list(this.keys.toxiproxy);
            const kv = items.find((item) => item.key === this.keys.toxiproxySet);
            const set = setOf(kv?.value);
            const alive = new Set(items.filter((item) => item.key.startsWith(this.keys.toxiproxyLease(''))).map((item) => item.key.slice(this.keys.toxiproxyLease('').length)));
            const now = this.now();
            const ended = (t) => t.lease !== undefined && (!alive.has(t.lease) || !inForce(t, now));
            const count = set.proxies.reduce((n, p) => n + p.toxics.filter(ended).length, 0);
            if (count === 0)
                return { set, revision: kv?.modRevision ?? 0, storeRevision };
            const swept = { leasesEnded: set.leasesEnded + count, proxies: set.proxies.map((p) => ({ ...p, toxics: p.toxics.filter((t) => !ended(t)) })) };
            try {
                const revision = await this.store.put(this.keys.toxiproxySet, stamped(swept), { expectModRevision: kv.modRevision });
                await this.release(leasesOf(set), leasesOf(swept));
                return { set: swept, revision, storeRevision: revision };
            }
            catch (err) {
                if (!isStoreError(err, 'CONFLICT'))
                    throw err;
            }
        }
        throw busy();
    }
    /**
     * Runs `apply` on the set and writes its result if nothing else wrote
     * meanwhile, else runs it again on the newer set. The leases it may take
     * are granted first (one per toxic with a ttl, each with its marker key);
     * those of toxics the change replaced or removed are revoked after, and
     * every one granted is given back when the change fails.
     */
    async change(asks, apply) {
        const granted = [];
        try {
            for (const ask of asks)
                granted.push(await this.grant(ask));
            for (let i = 0; i < MAX_TRIES; i++) {
                const read = await this.read();
                const pool = [...granted];
                const { set, answer } = apply(read.set, () => pool.shift() ?? throwError(new Error('a change took more leases than it asked for')));
                if (Buffer.byteLength(JSON.stringify(set)) > MAX_SET_BYTES)
                    throw new ToxiproxyError('BAD_REQUEST_BODY', 400, `bad request body: every proxy and toxic together would pass the ${MAX_SET_BYTES / 1024} KiB the control plane keeps for them`);
                let revision;
                try {
                    revision = await this.store.put(this.keys.toxiproxySet, stamped(set), { expectModRevision: read.revision });
                }
                catch (err) {
                    if (isStoreError(err, 'CONFLICT'))
                        continue;
                    throw err;
                }
                granted.length = 0;
                await this.release(new Set([...leasesOf(read.set), ...pool.map((g) => g.lease)]), leasesOf(set));
                return { answer, revision };
            }
            throw busy();
        }
        finally {
            await this.release(new Set(granted.map((g) => g.lease)), new Set());
        }
    }
    /** Calls `onChange` on every write under the toxiproxy keys after `storeRevision`, and `onEnd` if the watch ends. */
    watch(storeRevision, onChange, onEnd) {
        return this.store.watch(this.keys.toxiproxy, storeRevision, () => onChange(), () => onEnd());
    }
    async grant(ask) {
        const lease = await this.store.grantLease(Math.ceil(ask.ttlMs));
        const expiresAt = this.now() + lease.ttlMs;
        try {
            await this.store.put(this.keys.toxiproxyLease(lease.id), { proxy: ask.proxy, toxic: ask.toxic, expiresAt }, { lease: lease.id });
        }
        catch (err) {
            await this.store.revokeLease(lease.id).catch(() => { });
            throw err;
        }
        return { lease: lease.id, expiresAt };
    }
    /** Revokes every lease in `before` that `after` no longer holds; one already gone is no matter. */
    async release(before, after) {
        await Promise.all([...before].filter((l) => !after.has(l)).map((l) => this.store.revokeLease(l).catch(() => { })));
    }
}
/**
 * The set with an id of this write. Two processes that make the same
 * change at once write the same value, and the etcd store takes a
 * compare-and-set that failed on a value equal to its own for its own
 * retried write, answered as done: both would get 201. The id tells them apart.
 */
const stamped = (set) => ({ ...set, write: randomUUID() });
const busy = () => new ToxiproxyError('UNAVAILABLE', 503, `the proxies and toxics were changed ${MAX_TRIES} times by others while this change was being made: nothing was changed, try again`);
const throwError = (err) => {
    throw err;
};
//# sourceMappingURL=toxiproxy-store.js.map