import { callAdmin, isOk } from '../proxy/admin/admin-client.js';
export async function healthOf(admin, token) {
    const r = await callAdmin(admin, 'GET', '/healthz', token);
    if (!isOk(r))
        return {};
    return { startedAt: typeof r.body.startedAt === 'string' ? r.body.startedAt : undefined, halted: r.body.halted === true, role: typeof r.body.role === 'string' ? r.body.role : undefined };
}
/**
 * Why a proxy no longer holds a fault, or undefined when it may still: a new
 * start time means it restarted (even if the fault was put back since, it had
 * a gap); otherwise a 404 or 409 (`gone`) means a halt, or a lease that ran out.
 */
export function lossCause(seenStart, now, gone) {
    if (seenStart && now.startedAt && now.startedAt !== seenStart)
        return 'proxy restarted';
    if (!gone)
        return undefined;
    return now.halted ? 'proxy halted' : 'lease missed';
}
/** The cause when renewals kept failing until the lease surely ran out: the proxy dropped the fault then, or is gone itself. */
export const leaseRanOut = (failed) => (failed.status === 0 ? 'lease ran out while the proxy was unreachable' : 'lease ran out while renewals failed');
/** The counts a proxy reports for each fault it holds, by id (one request per proxy and round, whatever the number of faults). */
export async function countsOf(admin, token, now) {
    const r = await callAdmin(admin, 'GET', '/v1/faults', token);
    const at = now();
    // Undefined, not empty, when the list could not be read: absence from it then says nothing.
    if (!isOk(r) || !Array.isArray(r.body.faults))
        return undefined;
    const faults = r.body.faults;
    return new Map(faults.map((f) => [String(f.id), { matched: f.counts?.matched ?? 0, hit: f.counts?.hit ?? 0, at }]));
}
/** The rule as a control plane takes it when it hangs on the run's lease there: `lease` in place of `ttl`. */
export function onLease(wire, lease) {
    const { ttl: _ttl, ...rest } = wire;
    return { ...rest, lease };
}
/** The rule as the admin API takes it: the runner's id and lease in place of the file's. */
export function wireRule(rule, id, leaseMs) {
    const { delay, ...rest } = rule;
    const wire = { ...rest, id, ttl: `${leaseMs}ms` };
    // The schema parsed the delay into a tagged form; the API takes it as written.
    if (delay)
        wire.delay = delay.form === 'fixed' ? { fixed: `${delay.ms}ms` } : delay.form === 'uniform' ? { min: `${delay.minMs}ms`, max: `${delay.maxMs}ms` } : { mean: `${delay.meanMs}ms`, stddev: `${delay.stddevMs}ms` };
    return wire;
}
//# sourceMappingURL=proxy-answers.js.map