import { CompareResult, CompareTarget, Etcd3 } from 'etcd3';
import { StoreError } from '../store.js';
import { etcdCall } from './etcd-errors.js';
import { LeaseKeepAlives } from './etcd-keepalive.js';
import { clientOptions } from './etcd-options.js';
import { etcdWatch } from './etcd-watch.js';
/**
 * The Store on etcd (v3 API, through the etcd3 client). The Store's
 * semantics are etcd's, so this is a mapping: revisions are etcd's,
 * compare-and-set is a transaction on mod_revision, leases are etcd leases
 * (whole seconds), and watches resume from a revision. Every key lives
 * under `settings.prefix`, which callers never see.
 *
 * Values are JSON text. Lease ids are etcd's, in decimal.
 * @example const store = new EtcdStore({ endpoints: ['127.0.0.1:2379'], prefix: '/faultmesh/payments/' });
 */
export class EtcdStore {
    /** Other replicas write the same keys: see ControlPlaneOptions. */
    shared = true;
    client;
    root;
    where;
    keepAlives;
    watches = new Set();
    closed = false;
    constructor(settings) {
        this.client = new Etcd3(clientOptions(settings));
        this.root = settings.prefix;
        this.where = settings.endpoints.join(',');
        this.keepAlives = new LeaseKeepAlives(this.client.leaseClient, this.where, settings.callTimeoutMs ?? 3_000);
    }
    revision = async () => {
        const res = await this.call(() => this.client.kv.range({ key: this.full(''), range_end: prefixEnd(this.full('')), count_only: true }));
        return Number(res.header.revision);
    };
    async get(key) {
        const res = await this.call(() => this.client.kv.range({ key: this.full(key) }));
        const kv = res.kvs[0];
        return kv && this.toKeyValue(kv);
    }
    async list(prefix) {
        const res = await this.call(() => this.client.kv.range({ key: this.full(prefix), range_end: prefixEnd(this.full(prefix)) }));
        return { items: res.kvs.map((kv) => this.toKeyValue(kv)), revision: Number(res.header.revision) };
    }
    async put(key, value, options = {}) {
        if (typeof key !== 'string' || key === '')
            throw new TypeError('a store key must be a non-empty string');
        const text = JSON.stringify(value);
        if (text === undefined)
            throw new TypeError(`the value for "${key}" is not JSON-serialisable`);
        const lease = options.lease === undefined ? undefined : leaseId(options.lease);
        const request = { key: this.full(key), value: Buffer.from(text), ...(lease ? { lease } : {}) };
        if (options.expectModRevision === undefined)
            return Number((await this.call(() => this.client.kv.put(request))).header.revision);
        // etcd3 retries a call whose answer a dying member took with it, though etcd may have committed it: the retry then finds
        // this very write (same bytes, same lease: a lease is one holder's), which is the write done, not a conflict.
        const ours = (now) => now.value.equals(request.value) && (now.lease || '0') === (lease ?? '0');
        const res = await this.compareAndSet(key, options.expectModRevision, { request_put: request }, ours);
        return Number(res.header.revision);
    }
    async delete(key, options = {}) {
        const request = { key: this.full(key) };
        if (options.expectModRevision === undefined)
            return (await this.call(() => this.client.kv.deleteRange(request))).deleted !== '0';
        const res = await this.compareAndSet(key, options.expectModRevision, { request_delete_range: request });
        return res.responses[0]?.response_delete_range?.deleted !== '0';
    }
    async grantLease(ttlMs) {
        if (!Number.isSafeInteger(ttlMs) || ttlMs <= 0)
            throw new RangeError(`a lease ttl must be a positive whole number of ms, not ${ttlMs}`);
        // etcd counts leases in whole seconds (and raises a ttl below its minimum, about 2 s): the answer says what was granted.
        const res = await this.call(() => this.client.leaseClient.leaseGrant({ TTL: Math.ceil(ttlMs / 1000), ID: 0 }));
        return { id: res.ID, ttlMs: Number(res.TTL) * 1000 };
    }
    async keepAlive(id) {
        const lease = leaseId(id);
        this.assertOpen();
        return { ttlMs: (await this.keepAlives.renew(lease)) * 1000 };
    }
    async revokeLease(id) {
        const lease = leaseId(id);
        await this.call(() => this.client.leaseClient.leaseRevoke({ ID: lease }));
    }
    async leaseTtl(id) {
        if (!isLeaseId(id))
            return (this.assertOpen(), undefined);
        const res = await this.call(() => this.client.leaseClient.leaseTimeToLive({ ID: id }));
        const seconds = Number(res.TTL);
        // etcd rounds the remainder down to whole seconds; 0 is a live lease in its last second.
        return seconds < 0 ? undefined : Math.max(1, seconds * 1000);
    }
    watch(prefix, fromRevision, onEvents, onError) {
        if (this.closed) {
            const err = new StoreError('UNAVAILABLE', 'the store is closed');
            if (!onError)
                throw err;
            queueMicrotask(() => onError(err));
            return () => { };
        }
        const w = etcdWatch({ client: this.client, root: this.root, where: this.where, toKeyValue: (kv) => this.toKeyValue(kv) }, prefix, fromRevision, onEvents, (err) => {
            this.watches.delete(w.end);
            onError?.(err);
        });
        this.watches.add(w.end);
        return () => {
            this.watches.delete(w.end);
            w.stop();
        };
    }
    /** Forgets the history up to `revision` (etcd's compaction): watches from before it end with COMPACTED. */
    async compact(revision) {
        await this.call(() => this.client.kv.compact({ revision, physical: true }));
    }
    async close() {
        if (this.closed)
            return;
        this.closed = true;
        this.keepAlives.close();
        const err = new StoreError('UNAVAILABLE', 'the store was closed');
        for (const end of [...this.watches])
            end(err);
        this.watches.clear();
        this.client.close();
    }
    full(key) {
        return Buffer.from(this.root + key);
    }
    toKeyValue(kv) {
        return {
            key: kv.key.toString().slice(this.root.length),
            value: JSON.parse(kv.value.toString()),
            modRevision: Number(kv.mod_revision),
            createRevision: Number(kv.create_revision),
            ...(kv.lease && kv.lease !== '0' ? { lease: kv.lease } : {}),
        };
    }
    /**
     * One write only if `key` is at `expected` (0: absent); CONFLICT naming where it is otherwise,
     * unless `done` recognises what is there as this write, already made (the answer's revision is then its revision).
     */
    async compareAndSet(key, expected, op, done) {
        if (!Number.isSafeInteger(expected) || expected < 0)
            throw new RangeError(`expectModRevision must be 0 or a revision, not ${expected}`);
        const res = await this.call(() => this.client.kv.txn({
            compare: [{ key: this.full(key), target: CompareTarget.Mod, result: CompareResult.Equal, mod_revision: expected }],
            success: [op],
            failure: [{ request_range: { key: this.full(key) } }],
        }));
        if (res.succeeded)
            return res;
        const now = res.responses[0]?.response_range?.kvs[0];
        if (now && Number(now.mod_revision) > expected && done?.(now))
            return { ...res, succeeded: true, header: { ...res.header, revision: now.mod_revision } };
        throw new StoreError('CONFLICT', now ? (expected === 0 ? `"${key}" already exists (at revision ${now.mod_revision})` : `"${key}" is at revision ${now.mod_revision}, not ${expected}`) : `"${key}" no longer exists (expected at revision ${expected})`);
    }
    assertOpen() {
        if (this.closed)
            throw new StoreError('UNAVAILABLE', 'the store is closed');
    }
    async call(fn) {
        this.assertOpen();
        return etcdCall(this.where, fn);
    }
}
/** A lease id as etcd knows it (a positive 64-bit number in decimal); anything else cannot be a lease. */
function leaseId(id) {
    // etcd's ids are int64: a larger number would wrap onto another lease.
    if (!isLeaseId(id))
        throw new StoreError('LEASE_NOT_FOUND', `lease "${id}" has expired or was revoked`);
    return id;
}
const isLeaseId = (id) => /^[1-9]\d{0,18}$/.test(id) && BigInt(id) <= 9223372036854775807n;
/** The first key after every key that starts with `prefix` (etcd's range_end for a prefix). */
function prefixEnd(prefix) {
    const end = Buffer.from(prefix);
    for (let i = end.length - 1; i >= 0; i--) {
        if (end[i] < 0xff) {
            end[i]++;
            return end.subarray(0, i + 1);
        }
    }
    return Buffer.from([0]);
}
//# sourceMappingURL=etcd-store.js.map