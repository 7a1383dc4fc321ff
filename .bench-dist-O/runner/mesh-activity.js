import { BUCKETS, REQUESTS } from './mesh-metrics.js';
// What the mesh did, read from the families every proxy exports (proxy/telemetry/metrics.ts):
// the claim of most experiments is "the mesh absorbed it", and these counters are its evidence.
export const RETRIES = 'faultmesh_retries_total';
export const EJECTIONS = 'faultmesh_outlier_ejections_total';
export const FAULTS_INJECTED = 'faultmesh_faults_injected_total';
/** Every family the run's sampler reads: traffic and latency, and the mesh's own doings. */
export const SAMPLED_FAMILIES = new Set([REQUESTS, BUCKETS, RETRIES, EJECTIONS, FAULTS_INJECTED]);
/** A 5xx, or no status at all (a reset, a hang cut off): what a caller counts as an error. */
const isError = (s) => !/^[1-4]\d\d$/.test(s.labels.code ?? '');
function sumBy(samples, name, label) {
    const out = {};
    for (const s of samples) {
        if (s.name !== name || s.value === 0)
            continue;
        const key = s.labels[label] ?? 'unknown';
        out[key] = (out[key] ?? 0) + s.value;
    }
    return out;
}
/**
 * One destination's activity in one interval, from the counter increases of
 * its series (already filtered to the destination). Requests per instance
 * are those the instance answered last: a call retried onto another
 * instance counts for the one that answered it.
 */
export function activityOf(changed) {
    const requests = changed.filter((s) => s.name === REQUESTS);
    return {
        requests: requests.reduce((n, s) => n + s.value, 0),
        errors: requests.filter(isError).reduce((n, s) => n + s.value, 0),
        retries: sumBy(changed, RETRIES, 'reason'),
        faulted: sumBy(changed, FAULTS_INJECTED, 'kind'),
        instances: sumBy(changed, REQUESTS, 'instance'),
    };
}
/**
 * The ejections counted between two scrapes, one entry per proxy, instance
 * and reason. `by` is the proxy's id when a control plane merged the series
 * (its `proxy` label), else the admin URL scraped.
 */
export function ejectionsIn(changed) {
    return changed
        .filter((s) => s.name === EJECTIONS && s.value > 0)
        .map((s) => ({ destination: s.labels.destination ?? 'unknown', instance: s.labels.instance ?? 'unknown', reason: s.labels.reason ?? 'unknown', by: s.labels.proxy ?? s.admin, count: s.value }));
}
//# sourceMappingURL=mesh-activity.js.map