import { traceparentOf } from './trace-context.js';
// Hop-by-hop headers (RFC 9110 7.6.1) end at this hop. Transfer-Encoding is
// kept on requests: Node re-frames the body it pipes when the header says
// chunked, and dropping it would leave a body with no length.
// The fault headers end here too, whether or not this proxy honours them
// (--allow-header-faults): a next proxy that does must not apply them again.
const NOT_FORWARDED = ['connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'upgrade', 'proxy-authorization', 'expect', 'x-faultmesh-abort', 'x-faultmesh-delay'];
const HOP_BY_HOP_RESPONSE = new Set(['connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'upgrade', 'transfer-encoding', 'proxy-authenticate']);
/** Headers named in `Connection: a, b` are hop-by-hop too. */
const NONE = [];
function connectionListed(value) {
    if (!value || value === 'keep-alive' || value === 'close')
        return NONE;
    return value.split(',').map((s) => s.trim().toLowerCase()).filter((s) => s && s !== 'close' && s !== 'keep-alive');
}
/**
 * Rewrites the incoming headers in place into what the upstream receives:
 * hop-by-hop and fault headers removed, forwarding and trace headers added.
 * In place, because http-proxy copies req.headers once anyway; once per call.
 */
export function prepareUpstreamHeaders(call) {
    rewriteForUpstream(call.req, call.trace);
}
/**
 * The same rewrite for an upgrade handshake (forward/upgrade.ts), which is
 * passed through rather than ended here: `upgrade` is kept and
 * `connection: upgrade` sent, for this request only; every other
 * hop-by-hop header still ends at this hop.
 */
export function prepareUpgradeHeaders(req, trace) {
    const upgrade = req.headers.upgrade;
    rewriteForUpstream(req, trace);
    if (upgrade === undefined)
        return;
    req.headers.upgrade = upgrade;
    req.headers.connection = 'upgrade';
}
function rewriteForUpstream(req, trace) {
    const h = req.headers;
    for (const name of connectionListed(h.connection))
        delete h[name];
    for (const name of NOT_FORWARDED)
        if (h[name] !== undefined)
            delete h[name];
    const remote = req.socket.remoteAddress ?? '';
    const xff = h['x-forwarded-for'];
    h['x-forwarded-for'] = xff ? `${xff}, ${remote}` : remote;
    if (h['x-forwarded-proto'] === undefined)
        h['x-forwarded-proto'] = 'http';
    if (h['x-forwarded-host'] === undefined && h.host !== undefined)
        h['x-forwarded-host'] = h.host;
    h.traceparent = traceparentOf(trace);
    h['x-request-id'] = trace.requestId;
}
/**
 * The request headers as the upstream receives them, as a flat
 * [name, value, ...] list in the caller's case and order (undici sends it
 * as is): hop-by-hop and fault headers removed, forwarding and trace
 * headers added. Built once per call and kept for its retries; the
 * incoming headers are left as they were.
 */
export function upstreamHeaderList(call) {
    const raw = call.req.rawHeaders;
    const listed = connectionListed(call.req.headers.connection);
    const remote = call.req.socket.remoteAddress ?? '';
    // Host from the parsed headers: an absolute-form request had it rewritten (request-target.ts).
    const host = call.req.headers.host;
    const out = host === undefined ? [] : ['host', host];
    let xff;
    let proto = false;
    let forwardedHost = false;
    for (let i = 0; i < raw.length; i += 2) {
        const name = raw[i];
        const lower = name.toLowerCase();
        // undici frames the body itself (chunked when the length is unknown) and refuses a transfer-encoding header.
        if (DROPPED_UPSTREAM.has(lower) || (listed.length > 0 && listed.includes(lower)))
            continue;
        if (lower === 'x-forwarded-for') {
            xff = xff === undefined ? raw[i + 1] : `${xff}, ${raw[i + 1]}`;
            continue;
        }
        if (lower === 'x-forwarded-proto')
            proto = true;
        else if (lower === 'x-forwarded-host')
            forwardedHost = true;
        out.push(name, raw[i + 1]);
    }
    out.push('x-forwarded-for', xff ? `${xff}, ${remote}` : remote);
    if (!proto)
        out.push('x-forwarded-proto', 'http');
    if (!forwardedHost && host !== undefined)
        out.push('x-forwarded-host', host);
    out.push('traceparent', traceparentOf(call.trace), 'x-request-id', call.trace.requestId);
    return out;
}
const DROPPED_UPSTREAM = new Set([...NOT_FORWARDED, 'host', 'transfer-encoding', 'traceparent', 'x-request-id']);
/**
 * The upstream's response headers minus hop-by-hop ones, as the flat
 * [name, value, ...] list res.writeHead accepts; keeps original case and order.
 */
export function downstreamHeaders(raw, requestId, faultRule) {
    let listed = NONE;
    for (let i = 0; i < raw.length; i += 2)
        if (raw[i].length === 10 && raw[i].toLowerCase() === 'connection')
            listed = connectionListed(raw[i + 1]);
    const out = [];
    let hasRequestId = false;
    for (let i = 0; i < raw.length; i += 2) {
        const lower = raw[i].toLowerCase();
        if (HOP_BY_HOP_RESPONSE.has(lower) || (listed.length > 0 && listed.includes(lower)))
            continue;
        if (lower === 'x-request-id')
            hasRequestId = true;
        out.push(raw[i], raw[i + 1]);
    }
    if (!hasRequestId)
        out.push('x-request-id', requestId);
    if (faultRule !== undefined)
        out.push('x-faultmesh-fault', faultRule);
    return out;
}
//# sourceMappingURL=headers.js.map