const TIMEOUT = { kind: 'timeout' };
const RESET = { kind: 'reset', connect: false };
const CONNECT_FAILED = { kind: 'reset', connect: true };
const CANCELLED = { kind: 'cancelled' };
const LOCAL = { kind: 'local' };
export function classify(outcome) {
    switch (outcome.kind) {
        case 'response': {
            const status = outcome.response.statusCode;
            return status >= 500 ? { kind: 'failure', status } : { kind: 'success', status };
        }
        case 'drop':
            // The client left, or an attempt was given up while a fault held it.
            return outcome.reason === 'CLIENT_ABORTED' || outcome.reason.startsWith('ABANDONED') ? CANCELLED : RESET;
        case 'error':
            switch (outcome.error.code) {
                case 'UPSTREAM_TIMEOUT':
                    return TIMEOUT;
                case 'UPSTREAM_RESET':
                    return RESET;
                case 'UPSTREAM_CONNECT_FAILED':
                    return CONNECT_FAILED;
                // The instance's TLS was wrong (another service's certificate, an untrusted or expired one): a failed
                // answer of that instance, so outlier detection ejects it, but not a transient connect failure that
                // the default retryOn (connect-failure) would try again and again.
                case 'UPSTREAM_IDENTITY':
                case 'UPSTREAM_TLS':
                case 'FAULT_ABORT': {
                    const status = outcome.error.status;
                    return status >= 500 ? { kind: 'failure', status } : { kind: 'success', status };
                }
                default:
                    return LOCAL;
            }
    }
}
/** A 5xx in Envoy's sense: failed answers, timeouts and broken connections. */
export function is5xx(c) {
    return c.kind === 'failure' || c.kind === 'timeout' || c.kind === 'reset';
}
/** A gateway error: 502, 503 or 504, a timeout, or a broken connection. */
export function isGatewayError(c) {
    if (c.kind === 'failure')
        return c.status >= 502 && c.status <= 504;
    return c.kind === 'timeout' || c.kind === 'reset';
}
/** The status the attempt carried, if it got one. */
export function statusOf(c) {
    return c.kind === 'success' || c.kind === 'failure' ? c.status : undefined;
}
//# sourceMappingURL=classify.js.map