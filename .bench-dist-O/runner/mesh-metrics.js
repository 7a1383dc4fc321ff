import { setMaxListeners } from 'node:events';
import { request } from 'undici';
import { bucketsFromCumulative, histogramQuantile } from './canary/stats/quantile.js';
import { leBound, parsePromText } from './providers/prom-text.js';
export const REQUESTS = 'faultmesh_requests_total';
export const BUCKETS = 'faultmesh_request_duration_seconds_bucket';
const WANTED = new Set([REQUESTS, BUCKETS]);
/** One proxy's request counters and latency buckets (or the `wanted` families), as its /metrics serves them. */
export async function scrapeProxy(admin, signal, wanted = WANTED) {
    const res = await request(new URL('/metrics', admin), { signal, headersTimeout: 5000, bodyTimeout: 5000 });
    const text = await res.body.text();
    if (res.statusCode !== 200)
        throw new Error(`${admin}/metrics answered ${res.statusCode}`);
    return parsePromText(text, wanted);
}
/**
 * Scrapes every proxy at once. The requests share one private signal that
 * follows `signal`, so a mesh of many proxies adds one listener to the run's
 * signal, not one per proxy (Node warns past ten on one signal).
 */
export async function scrapeProxies(admins, signal, wanted) {
    const round = new AbortController();
    setMaxListeners(admins.length + 1, round.signal);
    const follow = () => round.abort(signal?.reason);
    if (signal?.aborted)
        follow();
    signal?.addEventListener('abort', follow, { once: true });
    try {
        return await Promise.allSettled(admins.map((a) => scrapeProxy(a, round.signal, wanted)));
    }
    finally {
        signal?.removeEventListener('abort', follow);
    }
}
const seriesKey = (admin, s) => `${admin} ${s.name} ${JSON.stringify(s.labels)}`;
/**
 * How much each counter rose between two scrapes of the same proxies, for
 * the series `keep` accepts. A series new in the second scrape counts from 0;
 * one that went down means its proxy restarted, and counts from 0 too.
 */
export function increases(admins, before, after, keep) {
    const out = [];
    admins.forEach((admin, i) => {
        const old = new Map((before[i] ?? []).filter(keep).map((s) => [seriesKey(admin, s), s.value]));
        for (const s of after[i] ?? []) {
            if (!keep(s))
                continue;
            const prev = old.get(seriesKey(admin, s)) ?? 0;
            out.push({ ...s, value: s.value >= prev ? s.value - prev : s.value });
        }
    });
    return out;
}
/**
 * histogram_quantile over `_bucket` samples (seconds, cumulative), summed
 * by bound over their other labels, in milliseconds; undefined without
 * requests. The canary's quantile does the reading, so an experiment, a
 * canary and the /ui map agree on a p99.
 */
export function quantileMs(q, buckets) {
    const byLe = new Map();
    for (const b of buckets) {
        const le = leBound(b.labels.le);
        byLe.set(le, (byLe.get(le) ?? 0) + b.value);
    }
    return histogramQuantile(bucketsFromCumulative(byLe, 1000), q) ?? undefined;
}
/** A 5xx or no status at all (a reset) is an error; anything else answered is a success. */
const isSuccess = (s) => /^[1-4]\d\d$/.test(s.labels.code ?? '');
export function windowStats(changed, seconds) {
    const requests = changed.filter((s) => s.name === REQUESTS);
    const total = requests.reduce((n, s) => n + s.value, 0);
    const ok = requests.filter(isSuccess).reduce((n, s) => n + s.value, 0);
    const buckets = changed.filter((s) => s.name === BUCKETS);
    const q = (p) => quantileMs(p, buckets) ?? null;
    return {
        requests: total,
        rate: seconds > 0 ? total / seconds : 0,
        successRatio: total ? ok / total : null,
        errorRatio: total ? (total - ok) / total : null,
        p50Ms: q(0.5),
        p95Ms: q(0.95),
        p99Ms: q(0.99),
    };
}
//# sourceMappingURL=mesh-metrics.js.map