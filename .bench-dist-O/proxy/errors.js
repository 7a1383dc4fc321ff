/**
 * Typed failures of a proxied call. Each has a stable `code` (sent in the
 * `x-faultmesh-error` header) and the HTTP status the proxy answers with;
 * http/error-response.ts is the one place that turns them into responses.
 */
export class ProxyError extends Error {
    code;
    status;
    cause;
    reply;
    name = 'ProxyError';
    constructor(code, status, message, 
    /** Connection-level errors keep the original cause for logs. */
    cause, 
    /** A body and headers to send instead of the JSON error (an abort fault's own reply). */
    reply) {
        super(message);
        this.code = code;
        this.status = status;
        this.cause = cause;
        this.reply = reply;
    }
}
/** An abort fault's response: the rule's status, body and headers. */
export const faultAbort = (rule, status, body, headers) => new ProxyError('FAULT_ABORT', status, `aborted by fault ${rule}`, undefined, { body, headers });
export const unknownService = (name) => new ProxyError('UNKNOWN_SERVICE', 404, `no service named "${name}" in the mesh`);
/** No configuration at all yet (a control plane never reached, a wrong token): no service name can be judged unknown. */
export const notReady = (reason) => new ProxyError('NOT_READY', 503, `the proxy is not ready: ${reason}`);
export const missingHost = () => new ProxyError('NO_DESTINATION', 400, 'name the destination service in the Host header or an absolute URL (http://service/path)');
/** RFC 9112 3.2: more than one Host, or one that is not `host[:port]`, is a 400; guessing would route the request somewhere. */
export const invalidHost = (detail) => new ProxyError('INVALID_HOST', 400, detail);
/** Answered on the raw socket to a client beyond --max-connections, before it can hold a descriptor. */
export const tooManyConnections = (max) => new ProxyError('TOO_MANY_CONNECTIONS', 503, `the proxy is serving its limit of ${max} client connections; retry later`);
/**
 * A request Node's parser refused (the server's 'clientError'): headers too
 * large, sent too slowly, or not HTTP at all.
 */
export function clientFailure(err, maxHeaderBytes) {
    switch (err.code) {
        case 'HPE_HEADER_OVERFLOW':
            return new ProxyError('HEADERS_TOO_LARGE', 431, `request headers exceed ${maxHeaderBytes} bytes`);
        case 'ERR_HTTP_REQUEST_TIMEOUT':
            return new ProxyError('REQUEST_TIMEOUT', 408, 'the request was not received in time (--headers-timeout, --request-timeout)');
        default:
            return new ProxyError('BAD_REQUEST', 400, `malformed HTTP request (${err.code ?? err.message})`);
    }
}
export const unsupportedMethod = (method) => new ProxyError('METHOD_NOT_SUPPORTED', 405, `${method} is not supported; the mesh proxies plain HTTP requests`);
/** An upgrade passes through before any body is read (forward/upgrade.ts), so a body sent with one would reach nobody. */
export const upgradeWithBody = () => new ProxyError('UPGRADE_WITH_BODY', 400, 'an upgrade request cannot carry a body through the mesh: send it without one, or without Upgrade');
export const noInstance = (service, detail) => new ProxyError('NO_INSTANCE', 503, `service "${service}" has no instance to take the request${detail ? ` (${detail})` : ''}`);
export const routeDenied = (service, status, route) => new ProxyError('ROUTE_DENIED', status, `denied by route ${route} of service "${service}"`);
/**
 * An inbound call the service's authorization policy refuses. `source` is
 * the caller's verified identity; undefined for a caller without one.
 */
export const forbidden = (service, source, reason) => new ProxyError('FORBIDDEN', 403, `${source === undefined ? 'a caller without a verified identity' : `service "${source}"`} may not call service "${service}": ${reason}`);
export const upstreamTimeout = (instance, ms) => new ProxyError('UPSTREAM_TIMEOUT', 504, `instance ${instance} sent no response within ${ms}ms`);
export const requestTimeout = (ms, attempts, lastInstance) => new ProxyError('UPSTREAM_TIMEOUT', 504, `no response within ${ms}ms (${attempts} attempt${attempts === 1 ? '' : 's'}${lastInstance ? `, last on instance ${lastInstance}` : ''})`);
/**
 * A `tls: mutual` destination and no certificate to present (none given, or
 * the control plane has not issued one yet): answered before any connection,
 * never held against the instance.
 */
export const noIdentity = (service, pending) => new ProxyError('NO_IDENTITY', 503, pending
    ? `service "${service}" requires mTLS and this proxy has no certificate yet (its enrollment with the control plane has not completed)`
    : `service "${service}" requires mTLS and this proxy has no certificate: start it with --cert/--key/--ca or --control with a join token`);
/** A way of sending that has no mTLS (the hpm forwarder, connection upgrades), asked to reach a `tls: mutual` service. */
export const tlsUnsupported = (service, what, fix) => new ProxyError('TLS_UNSUPPORTED', 502, `service "${service}" is tls: mutual, and ${what} cannot do mutual TLS: ${fix}`);
/**
 * The instance's certificate chains to the mesh CA but names another
 * service (or none): a misregistered address or an impostor. `instance` is
 * the mesh's id; `expected`/`presented` are services.
 */
export const upstreamIdentity = (instance, expected, presented, cause) => new ProxyError('UPSTREAM_IDENTITY', 502, `instance ${instance} presented ${presented === undefined ? 'a certificate naming no service of this trust domain' : `the identity of service "${presented}"`}, expected service "${expected}"`, cause);
/** The TLS handshake with an instance failed: its certificate is not trusted or not current, or it refused this proxy's. */
export const upstreamTls = (instance, reason, cause) => new ProxyError('UPSTREAM_TLS', 502, `TLS with instance ${instance} failed: ${reason}`, cause);
// OpenSSL's certificate verification results, as node:tls puts them in `code`.
const TLS_VERIFY_CODES = new Set([
    'UNABLE_TO_GET_ISSUER_CERT', 'UNABLE_TO_GET_CRL', 'UNABLE_TO_DECRYPT_CERT_SIGNATURE', 'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY', 'CERT_SIGNATURE_FAILURE',
    'CERT_NOT_YET_VALID', 'CERT_HAS_EXPIRED', 'ERROR_IN_CERT_NOT_BEFORE_FIELD', 'ERROR_IN_CERT_NOT_AFTER_FIELD', 'DEPTH_ZERO_SELF_SIGNED_CERT',
    'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'CERT_CHAIN_TOO_LONG', 'CERT_REVOKED',
    'INVALID_CA', 'PATH_LENGTH_EXCEEDED', 'INVALID_PURPOSE', 'CERT_UNTRUSTED', 'CERT_REJECTED', 'HOSTNAME_MISMATCH',
]);
/** Why a TLS failure happened, when `err` is one (a verification result, an alert or another OpenSSL error), in words for the message. */
function tlsReason(err) {
    const code = err.code ?? '';
    if (TLS_VERIFY_CODES.has(code))
        return `its certificate is refused: ${err.message} (${code})`;
    // The peer's alerts ("ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED", "..._UNKNOWN_CA") and local OpenSSL failures.
    if (code.includes('_ALERT_'))
        return `the instance refused this proxy's certificate or the handshake: ${err.message} (${code})`;
    if (code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_'))
        return `${err.message} (${code})`;
    return undefined;
}
// UND_ERR_CONNECT_TIMEOUT: undici's connect timeout (forward/undici-forwarder.ts).
const CONNECT_CODES = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EADDRNOTAVAIL', 'UND_ERR_CONNECT_TIMEOUT']);
/**
 * Classifies a socket error from an upstream connection. TLS failures
 * (transport/tls-connector.ts) get their own codes: a server naming another
 * service (PeerIdentityError, duck-typed so this module stays a leaf), and a
 * handshake that failed on a certificate.
 */
export function upstreamFailure(instance, err) {
    if (err.code === 'PEER_IDENTITY_MISMATCH') {
        const e = err;
        return upstreamIdentity(instance, e.expected ?? '?', e.actual, err);
    }
    const tls = tlsReason(err);
    if (tls !== undefined)
        return upstreamTls(instance, tls, err);
    if (err.code && CONNECT_CODES.has(err.code)) {
        return new ProxyError('UPSTREAM_CONNECT_FAILED', 502, `could not connect to instance ${instance}: ${err.code}`, err);
    }
    return new ProxyError('UPSTREAM_RESET', 502, `instance ${instance} closed the connection: ${err.code ?? err.message}`, err);
}
/** Anything unexpected still becomes a response, never a crash. */
export function toProxyError(err) {
    if (err instanceof ProxyError)
        return err;
    return new ProxyError('PROXY_INTERNAL', 500, `internal proxy error: ${err?.message ?? String(err)}`, err);
}
//# sourceMappingURL=errors.js.map