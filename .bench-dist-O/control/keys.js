/**
 * Where each resource lives in the store (README, "Control plane": key
 * layout). Keys are relative: a backend puts them under its own prefix
 * (`/faultmesh/` on etcd). `prefix` scopes them further, so one watch on it
 * sees every resource; empty by default.
 */
export const DEFAULT_PREFIX = '';
export function keysUnder(prefix = DEFAULT_PREFIX) {
    return {
        prefix,
        mesh: `${prefix}mesh`,
        halt: `${prefix}halt`,
        faults: `${prefix}faults/`,
        registrations: `${prefix}registrations/`,
        overrides: `${prefix}overrides/`,
        epoch: `${prefix}epoch`,
        replicas: `${prefix}replicas/`,
        replica: (id) => `${prefix}replicas/${id}`,
        leases: `${prefix}leases/`,
        leaseDeadline: (id) => `${prefix}leases/${id}`,
        joinTokens: `${prefix}join-tokens/`,
        joinToken: (id) => `${prefix}join-tokens/${id}`,
        runs: `${prefix}runs/`,
        run: (id) => `${prefix}runs/${id}`,
        toxiproxy: `${prefix}toxiproxy/`,
        toxiproxySet: `${prefix}toxiproxy/set`,
        toxiproxyLease: (id) => `${prefix}toxiproxy/leases/${id}`,
        fault: (id) => `${prefix}faults/${id}`,
        registration: (service, id) => `${prefix}registrations/${service}/${id}`,
        override: (service, route) => `${prefix}overrides/${service}/${route}`,
    };
}
/**
 * Keys of the desired state, the ones a new version is made of. A positive
 * list: an etcd prefix that holds another mesh's prefix under it
 * (`/faultmesh/` beside `/faultmesh/shop/`) sees that mesh's keys too, and
 * they must not count as changes here.
 */
export const isDesired = (keys, key) => key === keys.mesh || key === keys.halt || key.startsWith(keys.faults) || key.startsWith(keys.registrations) || key.startsWith(keys.overrides);
//# sourceMappingURL=keys.js.map