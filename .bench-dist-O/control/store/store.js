/**
 * The control plane's state, behind one interface that every backend
 * implements (memory today, etcd next) and proves with one contract suite
 * (test/control/store/store-contract.ts). The semantics are etcd's, so the
 * etcd backend is a thin mapping: one global revision that every write moves
 * by one, compare-and-set on a key's modRevision, leases that delete their
 * keys when they end, and watches that resume from a revision.
 *
 * Keys are relative (`mesh`, `faults/<id>`): a backend may put them under a
 * prefix of its own (etcd: `/faultmesh/`), which callers never see.
 */
/** A refused store operation, with a stable `code` callers branch on. */
export class StoreError extends Error {
    code;
    name = 'StoreError';
    constructor(code, message) {
        super(message);
        this.code = code;
    }
}
/** True when `err` is a StoreError with `code`. */
export const isStoreError = (err, code) => err instanceof StoreError && (code === undefined || err.code === code);
//# sourceMappingURL=store.js.map