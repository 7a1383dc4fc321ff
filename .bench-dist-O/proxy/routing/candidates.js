/**
 * The instances a balancer may choose from, in two steps:
 *
 * 1. Health: ejected instances are left out, unless the ejected share of
 *    this set exceeds maxEjectionPercent (or nothing is left): then panic
 *    mode uses them all, since a request to a doubtful instance beats
 *    refusing every request.
 * 2. Locality: with `prefer: zone`, the caller's zone if enough of it is
 *    healthy (at least failoverBelowHealthy), else its region on the same
 *    terms, else every healthy instance: traffic spills over to the rest
 *    only when the local ones cannot carry it.
 */
export function selectCandidates(members, isAvailable, locality, maxEjectionPercent, caller) {
    const healthy = members.filter(isAvailable);
    const panic = members.length > 0 && (healthy.length === 0 || (members.length - healthy.length) * 100 > members.length * maxEjectionPercent);
    const pool = panic ? members : healthy;
    const up = panic ? () => true : isAvailable;
    if (locality.prefer === 'zone' && caller.zone !== undefined) {
        const local = tier(members, (e) => e.zone === caller.zone, up, locality.failoverBelowHealthy);
        if (local)
            return { endpoints: local, panic, tier: 'zone' };
    }
    if (locality.prefer !== 'none' && caller.region !== undefined) {
        const local = tier(members, (e) => e.region === caller.region, up, locality.failoverBelowHealthy);
        if (local)
            return { endpoints: local, panic, tier: 'region' };
    }
    return { endpoints: pool, panic, tier: 'all' };
}
/** The healthy members of a locality tier, or undefined when too few of it are healthy. */
function tier(members, inTier, up, minHealthyPercent) {
    const all = members.filter(inTier);
    const healthy = all.filter(up);
    if (healthy.length === 0 || healthy.length * 100 < all.length * minHealthyPercent)
        return undefined;
    return healthy;
}
/**
 * selectCandidates for one subset, computed again only when the detector's
 * epoch or the caller's locality changes: on the hot path this is a few
 * comparisons, not a filter.
 */
export class CandidateCache {
    members;
    detector;
    locality;
    epoch = -1;
    region;
    zone;
    set = { endpoints: [], panic: false, tier: 'all' };
    constructor(members, detector, locality) {
        this.members = members;
        this.detector = detector;
        this.locality = locality;
    }
    get(caller) {
        const epoch = this.detector.epoch();
        if (epoch !== this.epoch || caller.region !== this.region || caller.zone !== this.zone) {
            this.set = selectCandidates(this.members, (e) => this.detector.isAvailable(e), this.locality, this.detector.policy.maxEjectionPercent, caller);
            this.epoch = epoch;
            this.region = caller.region;
            this.zone = caller.zone;
        }
        return this.set;
    }
}
//# sourceMappingURL=candidates.js.map