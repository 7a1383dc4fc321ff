import { StoreError } from '../store.js';
import { storeErrorOf } from './etcd-errors.js';
/**
 * Renews leases by id over one shared LeaseKeepAlive stream. The etcd3
 * library only renews leases it granted itself, but here the holder is a
 * runner or a registrant that may renew through any replica, so renewals
 * are by id. etcd answers in order per id; a TTL of 0 means the lease is
 * gone. A stream that fails fails what it had in flight, and the next call
 * opens a new one.
 */
export class LeaseKeepAlives {
    leases;
    where;
    timeoutMs;
    stream;
    pending = new Map();
    constructor(leases, where, timeoutMs) {
        this.leases = leases;
        this.where = where;
        this.timeoutMs = timeoutMs;
    }
    /** The ttl (seconds) the lease was renewed to; LEASE_NOT_FOUND when etcd no longer has it. */
    async renew(id) {
        const stream = await this.open();
        return new Promise((resolve, reject) => {
            const timer = setTimeout(() => this.fail(new StoreError('UNAVAILABLE', `etcd at ${this.where}: no answer to a lease renewal within ${this.timeoutMs} ms`)), this.timeoutMs);
            const queue = this.pending.get(id) ?? [];
            queue.push({ resolve, reject, timer });
            this.pending.set(id, queue);
            stream.write({ ID: id });
        });
    }
    close() {
        this.fail(new StoreError('UNAVAILABLE', 'the store is closed'));
    }
    open() {
        this.stream ??= this.leases.leaseKeepAlive().then((s) => {
            s.on('data', (res) => this.answer(res));
            s.on('error', (err) => this.fail(storeErrorOf(err, this.where)));
            s.on('end', () => this.fail(new StoreError('UNAVAILABLE', `etcd at ${this.where}: the lease renewal stream ended`)));
            return s;
        }, (err) => {
            this.stream = undefined;
            throw storeErrorOf(err, this.where);
        });
        return this.stream;
    }
    answer(res) {
        const queue = this.pending.get(res.ID);
        const first = queue?.shift();
        if (!first)
            return;
        if (queue.length === 0)
            this.pending.delete(res.ID);
        clearTimeout(first.timer);
        const ttl = Number(res.TTL);
        if (ttl > 0)
            first.resolve(ttl);
        else
            first.reject(new StoreError('LEASE_NOT_FOUND', `lease "${res.ID}" has expired or was revoked`));
    }
    /** Fails everything in flight and drops the stream, so the next renewal opens a fresh one. */
    fail(err) {
        const stream = this.stream;
        this.stream = undefined;
        void stream?.then((s) => s.cancel?.(), () => { });
        for (const queue of this.pending.values())
            for (const p of queue)
                (clearTimeout(p.timer), p.reject(err));
        this.pending.clear();
    }
}
//# sourceMappingURL=etcd-keepalive.js.map