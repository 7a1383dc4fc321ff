import { createHash, timingSafeEqual } from 'node:crypto';
import { AdminError } from '../../proxy/admin/admin-error.js';
const digest = (s) => createHash('sha256').update(s).digest();
/** The control plane's 401 on a state change: its token, not a proxy's admin token, and where it is set. */
export const CONTROL_TOKEN_REFUSAL = "this request changes the control plane's state: send Authorization: Bearer <control token> (the token given to faultmesh control with --token or FAULTMESH_CONTROL_TOKEN)";
/**
 * Requires `Authorization: Bearer TOKEN` whatever the method, for the reads
 * that carry desired state to a proxy (the stream): the admin API's
 * requireToken only guards state changes. Compared in constant time.
 */
export function requireBearer(token, refusal = 'the stream carries the mesh and its faults: send Authorization: Bearer <control token>') {
    const expected = token === undefined ? undefined : digest(token.trim());
    return (req, _res, next) => {
        if (!expected)
            return next();
        const given = /^bearer[ \t]+(.+)$/i.exec(req.headers.authorization ?? '')?.[1]?.trim() ?? '';
        if (given && timingSafeEqual(digest(given), expected))
            return next();
        next(new AdminError('UNAUTHORIZED', 401, refusal, { headers: { 'www-authenticate': 'Bearer' } }));
    };
}
//# sourceMappingURL=bearer.js.map