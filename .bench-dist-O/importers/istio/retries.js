import { Fields } from './fields.js';
import { faultmeshDuration, parseIstioDuration } from './go-duration.js';
import { METHODS } from './string-match.js';
/** Envoy's retry_on conditions (and gRPC's), each as what faultmesh does with it. */
const CONDITIONS = {
    '5xx': '5xx',
    'gateway-error': 'gateway-error',
    reset: 'reset',
    'connect-failure': 'connect-failure',
    'retriable-status-codes': 'retriable-status-codes',
    'refused-stream': { caveat: 'refused-stream is an HTTP/2 condition; faultmesh speaks HTTP/1.1 to instances, where no stream is refused, so it is left out' },
    cancelled: { caveat: 'cancelled is a gRPC status condition; faultmesh proxies HTTP/1.1 and reads no grpc-status, so it is left out' },
    'deadline-exceeded': { caveat: 'deadline-exceeded is a gRPC status condition; faultmesh reads no grpc-status, so it is left out (gateway-error retries timeouts)' },
    internal: { caveat: 'internal is a gRPC status condition; faultmesh reads no grpc-status, so it is left out' },
    'resource-exhausted': { caveat: 'resource-exhausted is a gRPC status condition; faultmesh reads no grpc-status, so it is left out' },
    unavailable: { caveat: 'unavailable is a gRPC status condition; faultmesh reads no grpc-status, so it is left out' },
    'envoy-ratelimited': { untranslated: 'envoy-ratelimited: faultmesh has no rate limiter whose refusals could be retried' },
    'retriable-headers': { untranslated: 'retriable-headers: faultmesh cannot retry on response headers; list the statuses instead (retryOn: "503,retriable-status-codes")' },
    'http3-post-connect-failure': { untranslated: 'http3-post-connect-failure: faultmesh does not speak HTTP/3' },
};
/** Istio's default when a route gives `retries` without `retryOn`: connect-failure,refused-stream,unavailable,cancelled. */
const DEFAULT_RETRY_ON = 'connect-failure,refused-stream,unavailable,cancelled';
/**
 * Reads an HTTPRetry. `attempts` left out is 0, as in Istio (retries off);
 * numbers in `retryOn` ("503") become statusCodes, and retriable-4xx is
 * Envoy's 409. Undefined when the block is not a map (reported).
 */
export function readRetries(value, path, findings) {
    const f = Fields.of(value, path, findings, 'HTTPRetry');
    if (!f)
        return undefined;
    let attempts = f.number('attempts') ?? 0;
    if (!Number.isInteger(attempts) || attempts < 0) {
        findings.invalid(f.at('attempts'), 'attempts is a whole number, 0 or more');
        attempts = 0;
    }
    else if (attempts > 10) {
        findings.caveat(f.at('attempts'), `faultmesh retries at most 10 times; ${attempts} is written as 10`);
        attempts = 10;
    }
    const perTry = f.has('perTryTimeout') ? parseIstioDuration(f.raw('perTryTimeout')) : undefined;
    if (perTry && !perTry.ok)
        findings.invalid(f.at('perTryTimeout'), perTry.message);
    else if (perTry && perTry.ms < 1)
        findings.invalid(f.at('perTryTimeout'), 'perTryTimeout must be at least 1ms');
    const text = f.string('retryOn') ?? DEFAULT_RETRY_ON;
    const retryOn = new Set();
    const statusCodes = new Set();
    for (const token of text.split(',').map((t) => t.trim()).filter(Boolean)) {
        if (/^\d+$/.test(token)) {
            const code = Number(token);
            if (code < 100 || code > 599)
                findings.invalid(f.at('retryOn'), `"${token}" is not an HTTP status`);
            else {
                statusCodes.add(code);
                retryOn.add('retriable-status-codes');
            }
            continue;
        }
        if (token === 'retriable-4xx') {
            statusCodes.add(409);
            retryOn.add('retriable-status-codes');
            findings.caveat(f.at('retryOn'), 'retriable-4xx retries a 409 in Envoy, and is written as statusCodes: [409]');
            continue;
        }
        const c = CONDITIONS[token];
        if (c === undefined)
            findings.invalid(f.at('retryOn'), `"${token}" is not a retry condition Istio knows (${Object.keys(CONDITIONS).join(', ')}, retriable-4xx, or a status)`);
        else if (typeof c === 'string')
            retryOn.add(c);
        else if ('caveat' in c)
            findings.caveat(f.at('retryOn'), c.caveat);
        else
            findings.untranslated(f.at('retryOn'), c.untranslated);
    }
    if (retryOn.has('retriable-status-codes') && statusCodes.size === 0) {
        findings.untranslated(f.at('retryOn'), 'retriable-status-codes names no status here (Envoy takes them from a request header faultmesh does not read); add the statuses to retryOn: "503,retriable-status-codes"');
        retryOn.delete('retriable-status-codes');
    }
    const backoff = f.has('backoff') ? parseIstioDuration(f.raw('backoff')) : undefined;
    if (backoff && !backoff.ok)
        findings.invalid(f.at('backoff'), backoff.message);
    if (f.has('retryIgnorePreviousHosts') && f.boolean('retryIgnorePreviousHosts') === false) {
        findings.untranslated(f.at('retryIgnorePreviousHosts'), 'faultmesh always retries on another instance when there is one', true);
    }
    if (f.has('retryRemoteLocalities')) {
        f.accept('retryRemoteLocalities');
        findings.untranslated(f.at('retryRemoteLocalities'), 'faultmesh retries among the same candidates as the first try; policy.locality decides which those are', true);
    }
    f.finish();
    return {
        attempts,
        ...(perTry?.ok && perTry.ms >= 1 ? { perTryTimeout: faultmeshDuration(perTry.ms) } : {}),
        retryOn: [...retryOn],
        ...(statusCodes.size ? { statusCodes: [...statusCodes] } : {}),
        // Envoy's back-off: the base, and at most ten times it.
        ...(backoff?.ok && backoff.ms > 0 ? { backoff: { base: faultmeshDuration(backoff.ms), max: faultmeshDuration(Math.min(backoff.ms * 10, 24 * 3_600_000)) } } : {}),
        methods: [...METHODS],
    };
}
//# sourceMappingURL=retries.js.map