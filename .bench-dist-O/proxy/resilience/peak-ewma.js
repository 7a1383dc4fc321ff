/** How fast the average forgets, as in Linkerd: an old sample weighs 1/e after 10 s. */
const DECAY_MS = 10_000;
/** What an instance not yet measured is assumed to take while it has requests in flight (Linkerd's default too). */
const DEFAULT_RTT_MS = 30;
/**
 * Peak-sensitive moving average of an instance's latency (time to response
 * headers). A sample above the average replaces it at once, so one slow
 * answer is enough to steer traffic away; faster samples pull it down
 * gradually. Without samples the average decays toward zero, so an instance
 * that was slow once gets tried again after a while instead of never.
 */
export function observeLatency(h, latencyMs, now) {
    if (h.ewmaAt < 0 || latencyMs > h.ewmaMs) {
        h.ewmaMs = latencyMs;
    }
    else {
        const w = Math.exp(-Math.max(0, now - h.ewmaAt) / DECAY_MS);
        h.ewmaMs = h.ewmaMs * w + latencyMs * (1 - w);
    }
    h.ewmaAt = now;
}
/** The average as it stands now, after decaying over the time without samples. */
export function currentEwma(h, now) {
    if (h.ewmaAt < 0)
        return 0;
    return h.ewmaMs * Math.exp(-Math.max(0, now - h.ewmaAt) / DECAY_MS);
}
/**
 * What sending one more request to this instance is expected to cost: its
 * latency times the requests already waiting on it (plus this one). An idle
 * instance never measured costs nothing, so new instances get tried; once
 * it has a request in flight it counts as DEFAULT_RTT_MS per request, so a
 * slow newcomer does not soak up traffic before its first answer.
 */
export function peakEwmaCost(e, now) {
    const h = e.health;
    if (h.ewmaAt < 0)
        return e.load.active === 0 ? 0 : DEFAULT_RTT_MS * (e.load.active + 1);
    return currentEwma(h, now) * (e.load.active + 1);
}
//# sourceMappingURL=peak-ewma.js.map