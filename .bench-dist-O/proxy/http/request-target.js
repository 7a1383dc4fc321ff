import { invalidHost } from '../errors.js';
/** RFC 3986 host (reg-name, IPv4, or [IPv6]) and an optional port: no userinfo, no path. */
const AUTHORITY = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._~%!$&'()*+,;=-]*)(?::[0-9]*)?$/;
/**
 * Finds the destination of a request: the Host header (port ignored), or the
 * authority of an absolute-form URL (`GET http://payments/api`), which is
 * what `curl -x` and HTTP_PROXY clients send. Absolute form wins, as RFC 9112
 * requires; the Host header is then rewritten to match. A request that sends
 * two Host headers, or an authority with userinfo (`evil@payments`) or other
 * stray characters, is an error (RFC 9112 3.2): Node keeps only the first
 * Host, and the next hop might pick another, so guessing would route it.
 */
export function parseRequestTarget(req) {
    let url = req.url ?? '/';
    let host;
    if (hostHeaders(req.rawHeaders) > 1)
        return invalidHost('the request has more than one Host header');
    if (url.charCodeAt(0) === 47 /* / */) {
        host = req.headers.host ?? '';
    }
    else {
        const m = /^http:\/\/([^/?#]*)(.*)$/i.exec(url);
        if (!m)
            return { service: '', url, path: url };
        host = m[1];
        url = m[2] || '/';
        if (url.charCodeAt(0) !== 47)
            url = `/${url}`;
        req.headers.host = host;
    }
    if (!AUTHORITY.test(host)) {
        return invalidHost(host.includes('@') ? `the destination "${host}" carries user information; name only the service` : `the destination "${host}" is not a host[:port]`);
    }
    const q = url.indexOf('?');
    return { service: hostToService(host), url, path: q === -1 ? url : url.slice(0, q) };
}
function hostHeaders(raw) {
    let n = 0;
    for (let i = 0; i < raw.length; i += 2)
        if (raw[i].length === 4 && raw[i].toLowerCase() === 'host')
            n++;
    return n;
}
function hostToService(host) {
    if (host.charCodeAt(0) === 91 /* [ */)
        return host.slice(0, host.indexOf(']') + 1).toLowerCase();
    const colon = host.indexOf(':');
    return (colon === -1 ? host : host.slice(0, colon)).toLowerCase();
}
//# sourceMappingURL=request-target.js.map