import { is5xx, isGatewayError } from './classify.js';
/**
 * Outlier detection for one service: a small state machine per instance,
 * healthy → ejected → probation → healthy (or back to ejected).
 *
 * An instance that fails (or is slow) too many times in a row is ejected
 * for baseEjectionTime × 2^(ejections so far), capped at maxEjectionTime,
 * unless that would put more than maxEjectionPercent of the service out.
 * When the time is up it returns on probation: its next result either
 * clears it or ejects it again, for twice as long.
 *
 * All times are on the injected clock. `epoch` changes whenever the set of
 * available instances may have changed, so pickers can cache their
 * candidate lists and recompute only then.
 */
export class OutlierDetector {
    service;
    endpoints;
    policy;
    now;
    onEject;
    epochValue = 0;
    nextReturnAt = Infinity;
    constructor(service, endpoints, policy, now, onEject) {
        this.service = service;
        this.endpoints = endpoints;
        this.policy = policy;
        this.now = now;
        this.onEject = onEject;
        for (const e of endpoints)
            if (e.health.state === 'ejected')
                this.nextReturnAt = Math.min(this.nextReturnAt, e.health.ejectedUntil);
    }
    /** Changes whenever an instance is ejected or returns; ejections that ran out end here. */
    epoch() {
        if (this.now() >= this.nextReturnAt)
            this.returnExpired();
        return this.epochValue;
    }
    /** Records one attempt's classification and time to response headers; returns the ejection it caused, if it caused one (for the call's span). */
    record(endpoint, c, latencyMs) {
        if (!this.policy.enabled || c.kind === 'cancelled' || c.kind === 'local')
            return undefined;
        const h = endpoint.health;
        const fivexx = is5xx(c);
        const gateway = isGatewayError(c);
        const slow = this.policy.slow !== undefined && latencyMs > this.policy.slow.above;
        h.consecutive5xx = fivexx ? h.consecutive5xx + 1 : 0;
        h.consecutiveGateway = gateway ? h.consecutiveGateway + 1 : 0;
        h.consecutiveSlow = slow ? h.consecutiveSlow + 1 : 0;
        if (h.state === 'ejected')
            return undefined; // panic traffic: already out
        if (h.state === 'probation') {
            if (fivexx || slow)
                return this.eject(endpoint, 'probation');
            h.state = 'healthy';
            return undefined;
        }
        const p = this.policy;
        if (p.consecutive5xx > 0 && h.consecutive5xx >= p.consecutive5xx)
            return this.eject(endpoint, 'consecutive-5xx');
        if (p.consecutiveGatewayErrors > 0 && h.consecutiveGateway >= p.consecutiveGatewayErrors)
            return this.eject(endpoint, 'consecutive-gateway-errors');
        if (p.slow && h.consecutiveSlow >= p.slow.consecutive)
            return this.eject(endpoint, 'slow');
        return undefined;
    }
    /** True when the instance may take traffic (not ejected). */
    isAvailable(endpoint) {
        return endpoint.health.state !== 'ejected';
    }
    /**
     * An ejection decided by another process of the same proxy (a cluster
     * worker, proxy/cluster): the instance is out until the same clock time,
     * with the same ejection count, and returns on probation here at that
     * time. Not counted as an ejection of this process (no onEject). The cap
     * holds as for any ejection: it wins over agreeing with the other process.
     * False when it changed nothing.
     */
    adopt(endpoint, until, ejections) {
        const h = endpoint.health;
        if (until <= this.now() || (h.state === 'ejected' && h.ejectedUntil >= until))
            return false;
        if (h.state !== 'ejected' && (this.ejectedCount() + 1) * 100 > this.endpoints.length * this.policy.maxEjectionPercent)
            return false;
        h.state = 'ejected';
        h.ejectedUntil = until;
        h.ejections = Math.max(h.ejections, ejections);
        h.consecutive5xx = h.consecutiveGateway = h.consecutiveSlow = 0;
        this.nextReturnAt = Math.min(this.nextReturnAt, until);
        this.epochValue++;
        return true;
    }
    ejectedCount() {
        let n = 0;
        for (const e of this.endpoints)
            if (e.health.state === 'ejected')
                n++;
        return n;
    }
    /** Ejects `endpoint` unless the cap forbids it; returns `reason` when it did. */
    eject(endpoint, reason) {
        const h = endpoint.health;
        // The cap: never more than maxEjectionPercent of the service out at once.
        if ((this.ejectedCount() + 1) * 100 > this.endpoints.length * this.policy.maxEjectionPercent)
            return undefined;
        const now = this.now();
        const base = this.policy.baseEjectionTime;
        // Each stretch of baseEjectionTime spent healthy forgives one earlier ejection.
        if (h.ejections > 0 && h.state === 'healthy')
            h.ejections = Math.max(0, h.ejections - Math.floor((now - h.returnedAt) / base));
        h.ejections++;
        h.state = 'ejected';
        h.ejectedUntil = now + Math.min(this.policy.maxEjectionTime, base * 2 ** (h.ejections - 1));
        h.consecutive5xx = h.consecutiveGateway = h.consecutiveSlow = 0;
        this.nextReturnAt = Math.min(this.nextReturnAt, h.ejectedUntil);
        this.epochValue++;
        this.onEject(endpoint, reason);
        return reason;
    }
    returnExpired() {
        const now = this.now();
        this.nextReturnAt = Infinity;
        for (const e of this.endpoints) {
            const h = e.health;
            if (h.state !== 'ejected')
                continue;
            if (now >= h.ejectedUntil) {
                h.state = 'probation';
                h.returnedAt = h.ejectedUntil;
                h.ejectedUntil = 0;
            }
            else
                this.nextReturnAt = Math.min(this.nextReturnAt, h.ejectedUntil);
        }
        this.epochValue++;
    }
}
//# sourceMappingURL=outlier-detector.js.map