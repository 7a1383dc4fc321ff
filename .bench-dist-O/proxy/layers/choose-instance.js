import { noInstance } from '../errors.js';
import { Attempt } from '../http/attempt.js';
import { classify } from '../resilience/classify.js';
import { observeLatency } from '../resilience/peak-ewma.js';
/**
 * Starts one attempt: picks the instance (healthy, local when possible, not
 * the one the previous attempt failed on), keeps its in-flight count while
 * the upstream works on it (until the response body ends), and, when the
 * attempt is over, classifies it once and tells outlier detection and the
 * latency average what happened. An attempt that went to a labelled subset
 * of a route is also recorded per subset: per attempt, not per call, so a
 * retry onto another subset cannot hide this one's failure.
 */
export const chooseInstance = (deps) => (next) => async (call) => {
    const previous = call.attempt;
    const subset = call.split.draw();
    const endpoint = subset?.pick(callerOf(call, deps.home), previous?.endpoint);
    if (!subset || !endpoint) {
        call.classification = { kind: 'local' };
        return { kind: 'error', error: noInstance(call.destination, call.route === undefined ? '' : `route ${call.route}`) };
    }
    const attempt = new Attempt(previous ? previous.n + 1 : 0, endpoint);
    call.attempt = attempt;
    call.endpoint = endpoint;
    const load = endpoint.load;
    load.active++;
    load.requests++;
    const started = performance.now();
    const outcome = await next(call);
    const latencyMs = performance.now() - started;
    const c = classify(outcome);
    call.classification = c;
    if (outcome.kind === 'response')
        outcome.response.body.once('close', () => load.active--);
    else
        load.active--;
    if (c.kind === 'failure' || c.kind === 'timeout' || c.kind === 'reset')
        load.failures++;
    const ejection = call.service.detector.record(endpoint, c, latencyMs);
    call.span?.attemptEnded(endpoint, subset.name, ejection);
    if (c.kind === 'success' || c.kind === 'failure' || c.kind === 'timeout')
        observeLatency(endpoint.health, latencyMs, deps.now());
    // A route's only, unlabelled subset (and the no-route fallback) has no name: nothing to compare, nothing recorded.
    if (subset.name !== undefined && call.route !== undefined)
        deps.recordSubset?.(call, subset, c, latencyMs);
    return outcome;
};
/** The proxy's own locality, unless the request names the caller's (x-faultmesh-source-region / -zone); upgrades use it too. */
export function callerOf(request, home) {
    const region = request.headers['x-faultmesh-source-region'];
    const zone = request.headers['x-faultmesh-source-zone'];
    if (region === undefined && zone === undefined)
        return home;
    // A caller that names only its region is not in this proxy's zone.
    return { region: typeof region === 'string' ? region : home.region, zone: typeof zone === 'string' ? zone : region === undefined ? home.zone : undefined };
}
//# sourceMappingURL=choose-instance.js.map