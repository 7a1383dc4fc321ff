import { setTimeout as delay } from 'node:timers/promises';
import { callAdmin, describeFailure, isOk } from '../../proxy/admin/admin-client.js';
import { CanaryRuntimeError } from './route-info.js';
const split = (d, weight) => [
    { labels: d.stable, weight: 100 - weight },
    { labels: d.canary, weight },
];
export const overridePath = (service, route) => `/v1/overrides/${encodeURIComponent(service)}/${route}`;
export function weightDriver(deps) {
    return deps.target.kind === 'control' ? new ControlWeights(deps, deps.target) : new AdminWeights(deps, deps.target);
}
/**
 * Through the control plane: one holder lease, and the route's override on
 * it. Revoking the lease (`canary abort`, or the lease running out when
 * this process dies) ends the override on every proxy at once.
 */
class ControlWeights {
    deps;
    target;
    lease;
    constructor(deps, target) {
        this.deps = deps;
        this.target = target;
    }
    async set(weight) {
        const { url, token } = this.target;
        if (!this.lease) {
            const r = await callAdmin(url, 'POST', '/v1/leases', token, { ttl: `${this.deps.leaseMs}ms` });
            if (!isOk(r))
                throw new CanaryRuntimeError(`cannot take a lease on ${url}: ${describeFailure(r)}`);
            this.lease = String(r.body.id);
        }
        const r = await callAdmin(url, 'PUT', overridePath(this.deps.service, this.deps.route), token, { to: split(this.deps, weight), lease: this.lease, by: this.deps.by });
        if (!isOk(r))
            throw new CanaryRuntimeError(`cannot set ${this.deps.service} route ${this.deps.route} to ${weight}% canary on ${url}: ${describeFailure(r)}`);
        await this.inForce();
    }
    /**
     * Waits (at most 5 s) until every connected proxy has acknowledged a
     * version with the new weights, so a step's first window measures the
     * step's split, not the one before it still in flight.
     */
    async inForce() {
        for (let i = 0; i < 50; i++) {
            const r = await callAdmin(this.target.url, 'GET', '/v1/status', this.target.token);
            if (!isOk(r))
                return;
            const { version, proxies } = r.body;
            if (proxies.filter((p) => p.connected).every((p) => p.applied >= version))
                return;
            await delay(100);
        }
    }
    async renew() {
        if (!this.lease)
            return 'ok';
        const r = await callAdmin(this.target.url, 'POST', `/v1/leases/${this.lease}/renew`, this.target.token);
        if (r.status === 404)
            return 'gone';
        // The lease outlives a failed renewal by two more tries; the proxies end it themselves if all fail.
        if (!isOk(r))
            return 'ok';
        const still = await callAdmin(this.target.url, 'GET', '/v1/overrides', this.target.token);
        if (!isOk(still))
            return 'ok';
        const mine = (still.body.overrides ?? []).some((o) => o.service === this.deps.service && o.route === this.deps.route && o.by === this.deps.by);
        return mine ? 'ok' : 'gone';
    }
    async clear() {
        if (!this.lease)
            return [];
        const r = await callAdmin(this.target.url, 'DELETE', `/v1/leases/${this.lease}`, this.target.token);
        if (isOk(r) || r.status === 404) {
            this.lease = undefined;
            return [];
        }
        return [`could not end the canary's lease on ${this.target.url} (${describeFailure(r)}): the override ends when the lease runs out, within ${Math.ceil(this.deps.leaseMs / 1000)} s`];
    }
}
/**
 * Without a control plane: the same override on each proxy's admin API,
 * with a ttl renewed by putting it again. Each proxy ends it by itself when
 * the ttl runs out.
 */
class AdminWeights {
    deps;
    target;
    weight;
    constructor(deps, target) {
        this.deps = deps;
        this.target = target;
    }
    async putAll(weight) {
        const body = { to: split(this.deps, weight), ttl: `${this.deps.leaseMs}ms`, by: this.deps.by };
        const replies = await Promise.all(this.target.urls.map((url) => callAdmin(url, 'PUT', overridePath(this.deps.service, this.deps.route), this.target.token, body)));
        return replies.filter((r) => !isOk(r)).map(describeFailure);
    }
    async set(weight) {
        const failed = await this.putAll(weight);
        if (failed.length)
            throw new CanaryRuntimeError(`cannot set ${this.deps.service} route ${this.deps.route} to ${weight}% canary: ${failed.join('; ')}`);
        this.weight = weight;
    }
    async renew() {
        if (this.weight === undefined)
            return 'ok';
        // Put again only where it is still ours: putting it back where someone removed it would undo an abort.
        const replies = await Promise.all(this.target.urls.map((url) => callAdmin(url, 'GET', '/v1/overrides', this.target.token)));
        for (const r of replies) {
            if (!isOk(r))
                continue;
            const mine = (r.body.overrides ?? []).some((o) => o.service === this.deps.service && o.route === this.deps.route && o.by === this.deps.by);
            if (!mine)
                return 'gone';
        }
        await this.putAll(this.weight);
        return 'ok';
    }
    async clear() {
        if (this.weight === undefined)
            return [];
        const replies = await Promise.all(this.target.urls.map((url) => callAdmin(url, 'DELETE', overridePath(this.deps.service, this.deps.route), this.target.token)));
        this.weight = undefined;
        return replies.filter((r) => !isOk(r) && r.status !== 404).map((r) => `${describeFailure(r)}: the override ends there when its ttl runs out, within ${Math.ceil(this.deps.leaseMs / 1000)} s`);
    }
}
//# sourceMappingURL=weight-driver.js.map