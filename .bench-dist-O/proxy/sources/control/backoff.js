export const BACKOFF_FIRST_MS = 100;
export const BACKOFF_MAX_MS = 5_000;
/**
 * How long to wait before connection attempt `failures + 1`: "full jitter"
 * (a uniform draw up to an exponential ceiling, 100 ms doubling to 5 s), so
 * a thousand proxies that lost the same control plane do not all come back
 * in the same millisecond.
 *
 * @example backoffMs(0, Math.random) // somewhere in [0, 100)
 */
export function backoffMs(failures, random) {
    const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_FIRST_MS * 2 ** Math.min(failures, 16));
    return random() * ceiling;
}
//# sourceMappingURL=backoff.js.map