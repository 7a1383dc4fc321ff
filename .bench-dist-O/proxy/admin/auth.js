import { createHash, timingSafeEqual } from 'node:crypto';
import { AdminError } from './admin-error.js';
import { changesState } from './admin-access.js';
const digest = (s) => createHash('sha256').update(s).digest();
/** Refused at start-up: a blank token would look like protection and be none. */
export class AdminTokenBlankError extends Error {
    code = 'ADMIN_TOKEN_BLANK';
    name = 'AdminTokenBlankError';
    /** @param surface what the token guards, named in the advice: the proxy's admin API or the control plane. */
    constructor(source = 'the admin token', surface = 'the admin API') {
        super(`${source} is blank: give a real token, or none to keep ${surface} on loopback without one`);
    }
}
/** Throws AdminTokenBlankError for a token that is empty or only whitespace; `undefined` means no token. */
export function checkAdminToken(token, source, surface) {
    if (token !== undefined && token.trim() === '')
        throw new AdminTokenBlankError(source, surface);
}
/** The proxy admin API's 401; the control plane passes its own, which names its token. */
export const ADMIN_TOKEN_REFUSAL = 'this admin request changes state: send Authorization: Bearer <admin token>';
/** The credentials of `Authorization: Bearer TOKEN`; the scheme is case-insensitive (RFC 9110). */
const bearer = (header) => /^bearer[ \t]+(.+)$/i.exec(header ?? '')?.[1]?.trim() ?? '';
/**
 * Requires `Authorization: Bearer TOKEN` on every request that changes state
 * (anything but GET, HEAD and OPTIONS) when a token is configured. Compares
 * digests in constant time, so neither the token nor its length leaks through
 * timing. Surrounding whitespace of the configured token is ignored: HTTP
 * strips it from header values, so no client could send it. `refusal` is
 * the 401's message: it names the token the caller needs.
 */
export function requireToken(token, refusal = ADMIN_TOKEN_REFUSAL) {
    checkAdminToken(token);
    const expected = token === undefined ? undefined : digest(token.trim());
    return (req, _res, next) => {
        if (!expected || !changesState(req.method))
            return next();
        const given = bearer(req.headers.authorization);
        if (given && timingSafeEqual(digest(given), expected))
            return next();
        next(new AdminError('UNAUTHORIZED', 401, refusal, { headers: { 'www-authenticate': 'Bearer' } }));
    };
}
//# sourceMappingURL=auth.js.map