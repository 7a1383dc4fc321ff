import { AdminError } from './admin-error.js';
/** GET, HEAD and OPTIONS only read; every other method changes state. */
export const changesState = (method) => method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS';
const HOST = /^(\[[0-9a-f:.]+\]|[a-z0-9_-]+(?:\.[a-z0-9_-]+)*\.?)(?::(\d{1,5}))?$/i;
const WILDCARDS = new Set(['', '0.0.0.0', '::', '[::]']);
/** `name` of a Host header `name[:port]`, lower case, IPv6 in brackets; undefined when the header is anything else (`evil@svc`, two values). */
export function hostName(header) {
    const m = header === undefined ? null : HOST.exec(header);
    return m ? m[1].toLowerCase().replace(/\.$/, '') : undefined;
}
/** Names a web page cannot point at the admin by DNS: localhost, 127.0.0.0/8 and ::1. */
export const isLoopbackName = (name) => name === 'localhost' || name === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name);
/**
 * Guards every admin request against other web origins, before the token
 * check and before any body is read:
 * - the Host must be a loopback name, the admin's own listen address or one
 *   of --admin-host: a DNS-rebinding page always sends its own domain name;
 * - a state change that carries a browser Origin must come from the admin's
 *   own origin or one of --admin-origin; without an Origin, a browser's
 *   `Sec-Fetch-Site: cross-site` or `same-site` is refused too. Clients that
 *   are not browsers (the CLI, the runner, curl) send neither header.
 */
export function guardAdminAccess(access) {
    const own = hostName(access.listenHost.includes(':') ? `[${access.listenHost}]` : access.listenHost);
    const hosts = new Set([...(access.hosts ?? []).map((h) => h.toLowerCase()), ...(own && !WILDCARDS.has(own) ? [own] : [])]);
    const origins = new Set((access.origins ?? []).map((o) => o.toLowerCase()));
    return (req, _res, next) => {
        const host = req.headers.host;
        const name = hostName(host);
        if (name === undefined || !(isLoopbackName(name) || hosts.has(name) || hosts.has(host.toLowerCase()))) {
            const shown = name ?? JSON.stringify(host ?? '');
            return next(new AdminError('HOST_NOT_ALLOWED', 403, `Host ${shown} is not a name of this admin API: call it on a loopback address, or start the proxy with --admin-host ${name ?? 'NAME'}`));
        }
        if (!changesState(req.method))
            return next();
        const origin = req.headers.origin?.toLowerCase();
        if (origin !== undefined) {
            if (origin === `http://${host.toLowerCase()}` || origins.has(origin))
                return next();
            return next(new AdminError('ORIGIN_NOT_ALLOWED', 403, `a state change from the web origin ${origin} is refused: ${howToAllow(origin)}`));
        }
        const site = req.headers['sec-fetch-site'];
        if (site === 'cross-site' || site === 'same-site')
            return next(new AdminError('ORIGIN_NOT_ALLOWED', 403, `a state change from another site (Sec-Fetch-Site: ${site}) is refused`));
        next();
    };
}
/**
 * The hint of a refused origin: the flag only for one the flag takes. `null`
 * (a sandboxed page, a file, a redirect) and other opaque origins could be
 * any page at all, so they cannot be allowed.
 */
function howToAllow(origin) {
    try {
        return `allow it with --admin-origin ${parseAdminOrigin(origin)}`;
    }
    catch {
        return 'an opaque origin (a sandboxed page, a file, a redirect) cannot be allowed; serve the page from an http(s) origin allowed with --admin-origin, or call the API from outside a browser';
    }
}
/** Checks one --admin-host value: a host name or address, with an optional port. */
export function parseAdminHost(text) {
    const name = hostName(text.trim());
    if (name === undefined || WILDCARDS.has(name))
        throw new Error(`--admin-host: "${text}" is not a host name (for example proxy-1.internal or 10.0.0.5:15000)`);
    return text.trim().toLowerCase();
}
/** Checks one --admin-origin value: scheme, host and optional port, nothing else. */
export function parseAdminOrigin(text) {
    let url;
    try {
        url = new URL(text.trim());
    }
    catch {
        url = undefined;
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.origin !== text.trim().toLowerCase().replace(/\/$/, '')) {
        throw new Error(`--admin-origin: "${text}" is not a web origin (for example https://ops.example or http://localhost:3000)`);
    }
    return url.origin;
}
//# sourceMappingURL=admin-access.js.map