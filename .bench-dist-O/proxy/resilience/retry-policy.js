/**
 * Which `retryOn` condition, if any, makes this attempt worth another try.
 * The most specific condition is named first, so the `reason` label of
 * faultmesh_retries_total says what actually went wrong.
 */
export function retryReason(c, policy) {
    const on = policy.retryOn;
    switch (c.kind) {
        case 'reset':
            if (c.connect && on.includes('connect-failure'))
                return 'connect-failure';
            if (on.includes('reset'))
                return 'reset';
            return on.includes('5xx') ? '5xx' : undefined;
        case 'timeout':
            if (on.includes('gateway-error'))
                return 'gateway-error';
            return on.includes('5xx') ? '5xx' : undefined;
        case 'failure':
            if (on.includes('retriable-status-codes') && policy.statusCodes.includes(c.status))
                return 'retriable-status-codes';
            if (c.status >= 502 && c.status <= 504 && on.includes('gateway-error'))
                return 'gateway-error';
            return on.includes('5xx') ? '5xx' : undefined;
        case 'success':
            return on.includes('retriable-status-codes') && policy.statusCodes.includes(c.status) ? 'retriable-status-codes' : undefined;
        case 'cancelled':
        case 'local':
            return undefined;
    }
}
/**
 * Exponential back-off with full jitter: a uniform wait between 0 and
 * min(max, base * 2^retry), so callers that failed together do not retry together.
 *
 * @example backoffMs(0, { base: 25, max: 250 }, Math.random) // 0..25
 */
export function backoffMs(retry, backoff, random) {
    const ceiling = Math.min(backoff.max, backoff.base * 2 ** retry);
    return random() * ceiling;
}
//# sourceMappingURL=retry-policy.js.map