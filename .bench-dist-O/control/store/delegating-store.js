/** A Store that hands every call to another; a layer overrides only what it changes (replica/lease-deadlines.ts, replica/last-seen-reads.ts). */
export class DelegatingStore {
    inner;
    shared;
    revision;
    constructor(inner) {
        this.inner = inner;
        this.shared = inner.shared;
        this.revision = () => inner.revision();
    }
    get(key) {
        return this.inner.get(key);
    }
    list(prefix) {
        return this.inner.list(prefix);
    }
    put(key, value, options) {
        return this.inner.put(key, value, options);
    }
    delete(key, options) {
        return this.inner.delete(key, options);
    }
    grantLease(ttlMs) {
        return this.inner.grantLease(ttlMs);
    }
    keepAlive(id) {
        return this.inner.keepAlive(id);
    }
    revokeLease(id) {
        return this.inner.revokeLease(id);
    }
    leaseTtl(id) {
        return this.inner.leaseTtl(id);
    }
    watch(prefix, fromRevision, onEvents, onError) {
        return this.inner.watch(prefix, fromRevision, onEvents, onError);
    }
    close() {
        return this.inner.close();
    }
}
//# sourceMappingURL=delegating-store.js.map