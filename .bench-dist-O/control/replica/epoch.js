import { isStoreError } from '../store/store.js';
/**
 * When the store's leases began, as /healthz `startedAt` says it: the
 * runner reads a change there as "every lease held here was lost". On a
 * memory store that is this process's start. On a shared store (etcd) it is
 * the first replica's start, kept in the store: a replica restarting loses
 * no lease, but a new etcd (its data lost) gets a new epoch.
 */
export async function storeEpoch(store, keys, now) {
    const at = new Date(now()).toISOString();
    if (!store.shared)
        return at;
    try {
        await store.put(keys.epoch, { at }, { expectModRevision: 0 });
        return at;
    }
    catch (err) {
        if (!isStoreError(err, 'CONFLICT'))
            throw err;
    }
    const kv = await store.get(keys.epoch);
    const saved = kv?.value?.at;
    return typeof saved === 'string' ? saved : at;
}
//# sourceMappingURL=epoch.js.map