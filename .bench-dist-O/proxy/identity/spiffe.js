import { serviceNameSchema, whyNotServiceName } from '../config/mesh-schema.js';
import { IdentityError } from './identity-error.js';
/** The trust domain used when none is given. */
export const DEFAULT_TRUST_DOMAIN = 'faultmesh.local';
// SPIFFE allows lower-case letters, digits, ".", "-" and "_" in a trust
// domain; we also refuse empty labels ("a..b", ".a") so it reads like a DNS name.
const TRUST_DOMAIN = /^[a-z0-9_-]+(\.[a-z0-9_-]+)*$/;
const MAX_TRUST_DOMAIN = 255;
const PREFIX = 'spiffe://';
const PATH = '/service/';
/** Why `text` is not a trust domain, or undefined when it is one. */
export function whyNotTrustDomain(text) {
    if (text.length === 0)
        return 'a trust domain cannot be empty';
    if (text.length > MAX_TRUST_DOMAIN)
        return `a trust domain is at most ${MAX_TRUST_DOMAIN} characters`;
    if (!TRUST_DOMAIN.test(text))
        return `"${text}" is not a trust domain: use lower-case letters, digits, "-", "_", in labels separated by "." (for example ${DEFAULT_TRUST_DOMAIN})`;
    return undefined;
}
/**
 * Returns `text` if it is a valid trust domain, else throws
 * IdentityError(TRUST_DOMAIN_INVALID).
 *
 * @example checkTrustDomain('Prod.Example') // throws: "Prod.Example" is not a trust domain ...
 */
export function checkTrustDomain(text) {
    const why = whyNotTrustDomain(text);
    if (why !== undefined)
        throw new IdentityError('TRUST_DOMAIN_INVALID', why);
    return text;
}
/** Throws IdentityError(SERVICE_INVALID) unless `name` is a service name as mesh files write them. */
export function checkServiceName(name) {
    if (!serviceNameSchema.safeParse(name).success)
        throw new IdentityError('SERVICE_INVALID', `"${name}": ${whyNotServiceName(name)}`);
    return name;
}
/**
 * The SPIFFE ID naming `service` in `trustDomain`; both are validated.
 *
 * @example spiffeId('faultmesh.local', 'payments') // 'spiffe://faultmesh.local/service/payments'
 */
export function spiffeId(trustDomain, service) {
    return `${PREFIX}${checkTrustDomain(trustDomain)}${PATH}${checkServiceName(service)}`;
}
/**
 * Reads a URI as a faultmesh SPIFFE ID; undefined for anything else (another
 * scheme or path shape, a bad trust domain or service name, a query, a
 * fragment, a port, user info). Strict on purpose: it decides who a peer is.
 *
 * @example parseSpiffeId('spiffe://faultmesh.local/service/payments') // { trustDomain: 'faultmesh.local', service: 'payments' }
 */
export function parseSpiffeId(uri) {
    if (!uri.startsWith(PREFIX))
        return undefined;
    const slash = uri.indexOf('/', PREFIX.length);
    if (slash < 0)
        return undefined;
    const trustDomain = uri.slice(PREFIX.length, slash);
    if (whyNotTrustDomain(trustDomain) !== undefined)
        return undefined;
    if (!uri.startsWith(PATH, slash))
        return undefined;
    const service = uri.slice(slash + PATH.length);
    if (!serviceNameSchema.safeParse(service).success)
        return undefined;
    return { trustDomain, service };
}
//# sourceMappingURL=spiffe.js.map