import { BoundedLabel } from './bounded-label.js';
/**
 * Records each attempt sent to a labelled route subset:
 * faultmesh_subset_attempts_total by outcome and, for answered and
 * timed-out attempts, faultmesh_subset_attempt_duration_seconds.
 *
 * Subset names come from the mesh, but overrides can bring labels of their
 * own, so they are bounded (later ones count as "other"). The prom-client
 * children are looked up once per subset object and kept: a subset belongs
 * to one route of one service table, so its labels never change, and the
 * hot path does a WeakMap lookup instead of building a key string.
 */
export function createSubsetRecorder(metrics, limit = 50) {
    const names = new BoundedLabel(limit);
    const bySubset = new WeakMap();
    const seriesOf = (call, subset) => {
        let s = bySubset.get(subset);
        if (!s) {
            const destination = call.service.name;
            const route = String(call.route);
            const name = names.value(subset.name);
            // Every outcome starts at 0, so a rate over the first failures sees them (a series first seen at 3 would hide those 3).
            const attempt = (outcome) => {
                const child = metrics.subsetAttempts.labels(destination, route, name, outcome);
                child.inc(0);
                return child;
            };
            metrics.subsetAttemptDuration.zero({ destination, route, subset: name });
            s = {
                attempts: { success: attempt('success'), failure: attempt('failure'), timeout: attempt('timeout'), reset: attempt('reset'), cancelled: attempt('cancelled') },
                duration: metrics.subsetAttemptDuration.labels(destination, route, name),
            };
            bySubset.set(subset, s);
        }
        return s;
    };
    return (call, subset, c, latencyMs) => {
        // The proxy answered before any instance was involved: nothing the subset did.
        if (c.kind === 'local')
            return;
        const s = seriesOf(call, subset);
        s.attempts[c.kind].inc();
        if (c.kind === 'success' || c.kind === 'failure' || c.kind === 'timeout')
            s.duration.observe(latencyMs / 1000);
    };
}
//# sourceMappingURL=record-subset-attempt.js.map