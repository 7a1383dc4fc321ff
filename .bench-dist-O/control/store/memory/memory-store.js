import { join } from 'node:path';
import { StoreError } from '../store.js';
import { realTimers } from '../../../proxy/core/timers.js';
import { DEFAULT_HISTORY_EVENTS, EventHistory } from './event-history.js';
import { LeaseTable } from './lease-table.js';
import { readSnapshot, SNAPSHOT_FILE, writeSnapshot } from './snapshot-file.js';
import { WatcherSet } from './watcher-set.js';
/**
 * The store for one control-plane process: a map, one revision counter,
 * leases on the injected timers, and a bounded event history for watches.
 * Every operation runs to its end within one turn of the event loop, so a
 * compare-and-set needs no lock.
 *
 * With a data dir, leased keys (faults, registrations, overrides) never
 * reach the disk, by design: their holders renew or re-register. The
 * revision does, so a restarted store never hands out a version a proxy
 * has already seen; it starts one past the saved one, that step being the
 * leased keys it dropped.
 *
 * Throws ConfigError when the snapshot file is damaged.
 * @example const store = new MemoryStore({ dataDir: '/var/lib/faultmesh' });
 */
export class MemoryStore {
    data = new Map();
    current = 1;
    history;
    leases;
    watchers = new WatcherSet(() => this.current);
    dataDir;
    closed = false;
    constructor(options = {}) {
        this.dataDir = options.dataDir;
        const saved = this.dataDir === undefined ? undefined : readSnapshot(this.dataDir);
        if (saved) {
            for (const e of saved.entries)
                this.data.set(e.key, deepFreeze({ key: e.key, value: e.value, createRevision: e.createRevision, modRevision: e.modRevision }));
            this.current = saved.revision + 1;
        }
        // Nothing before the snapshot can be replayed: a restarted store's watchers start from now.
        this.history = new EventHistory(options.historyEvents ?? DEFAULT_HISTORY_EVENTS, saved ? this.current : 0);
        this.leases = new LeaseTable(options.timers ?? realTimers, (lease) => this.dropLeaseKeys(lease, false));
    }
    revision = async () => {
        this.assertOpen();
        return this.current;
    };
    async get(key) {
        this.assertOpen();
        return this.data.get(key);
    }
    async list(prefix) {
        this.assertOpen();
        const items = [...this.data.values()].filter((kv) => kv.key.startsWith(prefix)).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
        return { items, revision: this.current };
    }
    async put(key, value, options = {}) {
        this.assertOpen();
        if (typeof key !== 'string' || key === '')
            throw new TypeError('a store key must be a non-empty string');
        const text = JSON.stringify(value);
        if (text === undefined)
            throw new TypeError(`the value for "${key}" is not JSON-serialisable`);
        const lease = options.lease === undefined ? undefined : this.liveLease(options.lease);
        const existing = this.data.get(key);
        checkExpected(key, existing, options.expectModRevision);
        const revision = this.current + 1;
        const kv = { key, value: JSON.parse(text), modRevision: revision, createRevision: existing?.createRevision ?? revision, ...(lease ? { lease: lease.id } : {}) };
        this.commit([{ type: 'put', kv: deepFreeze(kv) }], true);
        return revision;
    }
    async delete(key, options = {}) {
        this.assertOpen();
        const existing = this.data.get(key);
        checkExpected(key, existing, options.expectModRevision);
        if (!existing)
            return false;
        this.commit([{ type: 'delete', key }], true);
        return true;
    }
    async grantLease(ttlMs) {
        this.assertOpen();
        const lease = this.leases.grant(ttlMs);
        return { id: lease.id, ttlMs: lease.ttlMs };
    }
    async keepAlive(id) {
        this.assertOpen();
        const lease = this.liveLease(id);
        this.leases.keepAlive(lease);
        return { ttlMs: lease.ttlMs };
    }
    async revokeLease(id) {
        this.assertOpen();
        const lease = this.liveLease(id);
        this.dropLeaseKeys(lease, true);
        this.leases.remove(lease);
    }
    async leaseTtl(id) {
        this.assertOpen();
        const lease = this.leases.live(id);
        return lease ? this.leases.remaining(lease) : undefined;
    }
    watch(prefix, fromRevision, onEvents, onError) {
        const refusal = this.closed
            ? new StoreError('UNAVAILABLE', 'the store is closed')
            : !this.history.holds(fromRevision)
                ? new StoreError('COMPACTED', `revision ${fromRevision} is no longer in the store's history (it holds changes after ${this.history.compactedThrough}): list again and watch from that revision`)
                : undefined;
        if (refusal) {
            if (!onError)
                throw refusal;
            queueMicrotask(() => onError(refusal));
            return () => { };
        }
        return this.watchers.add(prefix, this.history.after(fromRevision, prefix), onEvents, onError);
    }
    /** Forgets the history up to `revision`, as etcd's compact does: watches from before it get COMPACTED. */
    compact(revision) {
        this.history.compact(Math.min(revision, this.current));
    }
    async close() {
        if (this.closed)
            return;
        this.closed = true;
        this.leases.clear();
        this.watchers.closeAll(new StoreError('UNAVAILABLE', 'the store was closed'));
    }
    assertOpen() {
        if (this.closed)
            throw new StoreError('UNAVAILABLE', 'the store is closed');
    }
    liveLease(id) {
        const lease = this.leases.live(id);
        if (!lease)
            throw new StoreError('LEASE_NOT_FOUND', `lease "${id}" has expired or was revoked`);
        return lease;
    }
    /** Deletes a lease's keys in one revision (none when it holds none, as etcd does). */
    dropLeaseKeys(lease, strict) {
        if (lease.keys.size)
            this.commit([...lease.keys].sort().map((key) => ({ type: 'delete', key })), strict);
    }
    /**
     * One write: saved first, then applied, so a write the disk refused
     * changed nothing. `strict` writes (a caller's) fail with UNAVAILABLE
     * then; a lease's end never fails (fail safe): the next write saves it.
     */
    commit(changes, strict) {
        const revision = this.current + 1;
        try {
            this.save(changes, revision);
        }
        catch (err) {
            if (strict)
                throw new StoreError('UNAVAILABLE', `cannot write ${join(this.dataDir ?? '', SNAPSHOT_FILE)}, so nothing was changed: ${err.message}`);
        }
        const events = [];
        for (const change of changes) {
            const key = change.type === 'put' ? change.kv.key : change.key;
            const old = this.data.get(key);
            if (old?.lease !== undefined)
                this.leases.peek(old.lease)?.keys.delete(key);
            if (change.type === 'put') {
                this.data.set(key, change.kv);
                if (change.kv.lease !== undefined)
                    this.leases.peek(change.kv.lease)?.keys.add(key);
                events.push({ type: 'put', kv: change.kv });
            }
            else {
                this.data.delete(key);
                events.push(deepFreeze({ type: 'delete', key, modRevision: revision }));
            }
        }
        this.current = revision;
        this.history.append(events);
        this.watchers.deliver(events);
    }
    /** Writes the unleased keys as they will be after `changes`, and the new revision. */
    save(changes, revision) {
        if (this.dataDir === undefined)
            return;
        const changed = new Map(changes.map((c) => (c.type === 'put' ? [c.kv.key, c.kv] : [c.key, undefined])));
        const entries = [];
        for (const kv of this.data.values())
            if (!changed.has(kv.key) && kv.lease === undefined)
                entries.push(kv);
        for (const kv of changed.values())
            if (kv && kv.lease === undefined)
                entries.push(kv);
        entries.sort((a, b) => (a.key < b.key ? -1 : 1));
        // Flushed to disk only when what must survive changed (a key without a lease written, or one gone); a leased write moves just the revision.
        const unleased = (kv) => kv !== undefined && kv.lease === undefined;
        const durable = [...changed.entries()].some(([key, kv]) => unleased(kv) || unleased(this.data.get(key)));
        writeSnapshot(this.dataDir, { revision, entries: entries.map(({ key, value, createRevision, modRevision }) => ({ key, value, createRevision, modRevision })) }, durable);
    }
}
function checkExpected(key, existing, expected) {
    if (expected === undefined)
        return;
    if (!Number.isSafeInteger(expected) || expected < 0)
        throw new RangeError(`expectModRevision must be 0 or a revision, not ${expected}`);
    if (expected === 0 && existing)
        throw new StoreError('CONFLICT', `"${key}" already exists (at revision ${existing.modRevision})`);
    if (expected > 0 && existing?.modRevision !== expected) {
        throw new StoreError('CONFLICT', existing ? `"${key}" is at revision ${existing.modRevision}, not ${expected}` : `"${key}" no longer exists (expected at revision ${expected})`);
    }
}
/** Stored values are shared with every reader, so none may change them. */
function deepFreeze(value) {
    if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
        Object.freeze(value);
        for (const v of Object.values(value))
            deepFreeze(v);
    }
    return value;
}
//# sourceMappingURL=memory-store.js.map