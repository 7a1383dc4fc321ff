import { ClientClosedError, EtcdLeaseInvalidError } from 'etcd3';
import { StoreError } from '../store.js';
/**
 * The one place an etcd client error becomes a StoreError: a lease etcd
 * does not know is LEASE_NOT_FOUND; anything else (no member reachable, a
 * deadline, refused credentials, a closed client) is UNAVAILABLE, with
 * etcd's own words kept so an operator can tell which.
 */
export function storeErrorOf(err, where) {
    if (err instanceof StoreError)
        return err;
    if (err instanceof EtcdLeaseInvalidError)
        return new StoreError('LEASE_NOT_FOUND', 'the lease has expired or was revoked');
    if (err instanceof ClientClosedError)
        return new StoreError('UNAVAILABLE', 'the store is closed');
    // gRPC's text carries its status code and an empty "Resolution note": what is left says what failed (ECONNREFUSED, a deadline, bad credentials).
    const message = (err instanceof Error ? err.message : String(err))
        .replace(/^\w+Error: /, '')
        .replace(/^\d+ [A-Z_]+: /, '')
        .replace(/\s*Resolution note:\s*$/, '')
        // "No connection established. Last error: null.": there is no last error to name (the member was never tried yet, or its error was cleared).
        .replace(/\s*Last error: null\.?/, '')
        .replace('Last error: Error: ', 'last error: ');
    return new StoreError('UNAVAILABLE', `etcd at ${where}: ${message}`);
}
/** Runs one etcd call, turning its failure into a StoreError. */
export async function etcdCall(where, call) {
    try {
        return await call();
    }
    catch (err) {
        throw storeErrorOf(err, where);
    }
}
//# sourceMappingURL=etcd-errors.js.map