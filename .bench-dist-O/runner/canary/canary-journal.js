/** A new canary journal, before the first weight is set; the route is filled in once the mesh has named it. */
export function newCanaryJournal(c, target, start) {
    return {
        faultmesh: 1,
        kind: 'canary',
        name: c.name,
        file: c.file,
        service: c.service,
        route: c.route ?? -1,
        stable: c.stable,
        canary: c.canary,
        steps: c.steps,
        settings: {
            minRequests: c.minRequests,
            confidence: c.analysis.confidence,
            ...(c.analysis.errorRatio ? { errorRatio: c.analysis.errorRatio } : {}),
            ...(c.analysis.latency ? { latency: c.analysis.latency } : {}),
            intervalMs: c.intervalMs,
            failedChecks: c.failedChecks,
            maxWaitMs: c.maxWaitMs,
        },
        via: target.kind === 'control' ? { control: target.url } : { admins: target.urls },
        start,
        end: null,
        status: 'running',
        phase: 'starting',
        step: 0,
        weight: 0,
        weights: [],
        judgements: [],
        chaos: [],
        timeseries: [],
        decision: null,
        promotion: null,
        errors: [],
    };
}
/** Exit codes: 0 promoted, 1 rolled back or failed, 3 aborted (2, invalid input, never gets a journal). */
export function canaryExitCode(j) {
    if (j.status === 'promoted')
        return 0;
    return j.status === 'aborted' ? 3 : 1;
}
//# sourceMappingURL=canary-journal.js.map