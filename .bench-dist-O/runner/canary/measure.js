import { request } from 'undici';
import { increases } from '../mesh-metrics.js';
import { subsetName } from '../../proxy/routing/split.js';
import { parsePromText } from '../providers/prom-text.js';
const ATTEMPTS = 'faultmesh_subset_attempts_total';
const BUCKETS = 'faultmesh_subset_attempt_duration_seconds_bucket';
const WANTED = new Set([ATTEMPTS, BUCKETS]);
const ERRORS = new Set(['failure', 'timeout', 'reset']);
const COUNTED = new Set(['success', 'failure', 'timeout', 'reset']);
/**
 * Reads the per-subset attempt counters and latency buckets the proxies
 * keep for the canary's route, and turns two scrapes into what each subset
 * did in between: the same interval, from the same callers, for both.
 */
export function measurer(target, service, route, stable, canary) {
    const urls = target.kind === 'control' ? [target.url] : target.urls;
    // The proxies' own naming of a subset, so the series found are the ones they write.
    const names = { stable: subsetName(stable), canary: subsetName(canary) };
    const ours = (s) => s.labels.destination === service && s.labels.route === String(route) && (s.labels.subset === names.stable || s.labels.subset === names.canary);
    return {
        async scrape(signal) {
            const settled = await Promise.allSettled(urls.map((u) => scrapeOne(u, target.token, signal)));
            const failed = settled.find((s) => s.status === 'rejected');
            // Every place at once or not at all: a window missing one proxy's counts would compare two different sets of callers.
            if (failed)
                throw new Error(`cannot read the proxies' metrics: ${failed.reason.message}`);
            return settled.map((s) => s.value.filter(ours));
        },
        adopt(base, later) {
            return later.map((samples, i) => {
                const had = new Set((base[i] ?? []).map(seriesKey));
                const missing = samples.filter((s) => !had.has(seriesKey(s)));
                return missing.length ? [...(base[i] ?? []), ...missing] : (base[i] ?? []);
            });
        },
        window(before, after) {
            // A control plane's fan-out labels each series with its proxy, so one URL still keeps every proxy's series apart.
            const changed = increases(urls, before, after, () => true);
            return { stable: subsetWindow(changed, names.stable), canary: subsetWindow(changed, names.canary) };
        },
    };
}
const seriesKey = (s) => `${s.name} ${JSON.stringify(s.labels)}`;
async function scrapeOne(url, token, signal) {
    const res = await request(new URL('/metrics', url), { signal, headers: token ? { authorization: `Bearer ${token}` } : {}, headersTimeout: 10_000, bodyTimeout: 10_000 });
    const text = await res.body.text();
    if (res.statusCode !== 200)
        throw new Error(`${url}/metrics answered ${res.statusCode}`);
    return parsePromText(text, WANTED);
}
function subsetWindow(changed, subset) {
    let requests = 0;
    let errors = 0;
    const cumulative = new Map();
    for (const s of changed) {
        if (s.labels.subset !== subset)
            continue;
        if (s.name === ATTEMPTS) {
            const outcome = s.labels.outcome ?? '';
            if (COUNTED.has(outcome))
                requests += s.value;
            if (ERRORS.has(outcome))
                errors += s.value;
        }
        else if (s.name === BUCKETS) {
            const le = s.labels.le === '+Inf' ? Infinity : Number(s.labels.le) * 1000;
            cumulative.set(le, (cumulative.get(le) ?? 0) + s.value);
        }
    }
    const sorted = [...cumulative].sort((a, b) => a[0] - b[0]);
    const buckets = [];
    let below = 0;
    for (const [leMs, count] of sorted) {
        // Rounded: float sums of seconds bounds can read 0.30000000000000004.
        buckets.push({ leMs: Number.isFinite(leMs) ? Math.round(leMs * 1000) / 1000 : leMs, count: Math.max(0, count - below) });
        below = Math.max(below, count);
    }
    return { requests, errors, buckets };
}
/** A chart point: rate, error ratio and p99 of one subset over `seconds`. */
export function pointOf(w, seconds, quantile) {
    return {
        rate: seconds > 0 ? Math.round((w.requests / seconds) * 100) / 100 : 0,
        errorRatio: w.requests ? w.errors / w.requests : null,
        p99Ms: w.requests ? quantile(w.buckets, 0.99) : null,
    };
}
//# sourceMappingURL=measure.js.map