import { increases, scrapeProxies, windowStats } from '../mesh-metrics.js';
import { sleep } from '../sleep.js';
/**
 * Reads the mesh's own metrics over a window: scrapes every proxy listed,
 * waits `window`, scrapes again, and measures what happened in between,
 * summed over the proxies. Ratios are 0 to 1; rate is requests per second;
 * latencies are milliseconds. No request in the window fails the probe.
 */
export async function runMetric(p, ctx) {
    const before = await scrapeAll(p.admin, ctx.signal);
    const started = performance.now();
    if (!(await sleep(p.window, ctx.signal)))
        throw new Error('interrupted');
    const after = await scrapeAll(p.admin, ctx.signal);
    const seconds = (performance.now() - started) / 1000;
    const keep = (s) => s.labels.destination === p.destination && (!p.source || s.labels.source === p.source) && (!p.instance || s.labels.instance === p.instance);
    const stats = windowStats(increases(p.admin, before, after, keep), seconds);
    if (p.measure === 'rate')
        return stats.rate;
    const value = { 'success-ratio': stats.successRatio, 'error-ratio': stats.errorRatio, 'latency-p50': stats.p50Ms, 'latency-p95': stats.p95Ms, 'latency-p99': stats.p99Ms }[p.measure];
    if (value === null)
        throw new Error(`no requests to ${p.destination}${p.source ? ` from ${p.source}` : ''}${p.instance ? ` on ${p.instance}` : ''} in the ${seconds.toFixed(1)}s window`);
    return value;
}
/** Every proxy's samples, or the first proxy's failure: a window summed over part of the mesh would mislead. */
async function scrapeAll(admins, signal) {
    const settled = await scrapeProxies(admins, signal);
    const failed = settled.find((r) => r.status === 'rejected');
    if (failed)
        throw failed.reason;
    return settled.map((r) => r.value);
}
//# sourceMappingURL=metric.js.map