import { changesState } from './admin-access.js';
import { AdminError } from './admin-error.js';
/**
 * The admin paths whose writes a control plane owns on a proxy it manages.
 * Not halt and resume: an emergency stop on the proxy itself must work when
 * the control plane cannot take one (fault-store.ts halt).
 */
const MANAGED = /^\/v1\/(faults(\/.*)?|overrides(\/.*)?|reload)$/;
/**
 * On a proxy the control plane manages, the control plane is the one place
 * faults, overrides and the mesh change: a local write would be undone by
 * the next snapshot, or outlive what the control plane shows. Refused with
 * the URL to use instead; reads still answer from the local index.
 */
export function refuseManagedWrites(owner) {
    return (req, _res, next) => {
        if (owner.kind !== 'control' || !changesState(req.method) || !MANAGED.test(req.path))
            return next();
        const url = owner.url();
        next(new AdminError('MANAGED_BY_CONTROL', 409, `this proxy is managed by the control plane at ${url}: send ${req.method} ${req.path} there (faultmesh faults … --control ${url}, faultmesh mesh apply … --control ${url})`));
    };
}
//# sourceMappingURL=managed.js.map