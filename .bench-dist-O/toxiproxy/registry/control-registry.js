import { realTimers } from '../../proxy/core/timers.js';
import { ControlFailure, ToxiproxyControlApi } from '../control/control-api.js';
import { ControlFollower } from '../control/follower.js';
import { ServedSet } from '../control/served-set.js';
import { readSnapshot } from '../control/snapshot.js';
import { proxyNotFound, toxicNotFound, ToxiproxyError } from '../toxiproxy-error.js';
/**
 * `faultmesh toxiproxy --control URL`: the proxies and toxics live in the
 * control plane, the same for every process on it. A change goes to the
 * control plane, which checks it against the set every process shares (a
 * 409 for a name another process took) and writes it as one
 * compare-and-set; the answer waits until this process serves that
 * revision, so a read after a write sees it. Reads ask the control plane
 * first, so this process shows what another made a moment ago; while it is
 * out of reach they show the set last known, which keeps being served, and
 * changes are refused with 503.
 */
export class ControlRegistry {
    api;
    set;
    follower;
    timers;
    log;
    constructor(options) {
        const log = options.log ?? ((line) => process.stderr.write(`faultmesh: ${line}\n`));
        this.log = log;
        this.timers = options.timers ?? realTimers;
        this.api = new ToxiproxyControlApi(options.urls, options.token);
        this.set = new ServedSet({ timers: options.timers, retryTimers: options.retryTimers, random: options.random, log });
        this.follower = new ControlFollower({
            api: this.api,
            apply: (answer, whole) => this.apply(answer, whole),
            revision: () => this.set.revision,
            served: () => this.set.proxies().length,
            log,
            timers: options.retryTimers,
            random: options.random,
            waitMs: options.pollWaitMs,
        });
    }
    /** Takes the control plane's set and starts following it; throws ControlFailure when it cannot be reached or refuses the token. */
    async connect() {
        await this.follower.first();
        this.follower.start();
    }
    async proxies() {
        await this.fresh();
        return this.set.proxies();
    }
    async proxy(name) {
        await this.fresh();
        return this.set.proxy(name) ?? throwError(proxyNotFound());
    }
    async toxics(proxy) {
        return [...(await this.proxy(proxy)).toxics];
    }
    async toxic(proxy, toxic) {
        await this.proxy(proxy);
        return this.set.toxic(proxy, toxic) ?? throwError(toxicNotFound());
    }
    async createProxy(draft) {
        const answer = await this.change('POST', '/proxies', proxyJson(draft));
        return this.set.proxy(draft.name) ?? answer.body;
    }
    async populate(drafts) {
        const answer = await this.change('POST', '/populate', drafts.map((d) => proxyJson({ ...d, listen: this.set.asStored(d.name, d.listen) })));
        const sent = answer.body.proxies;
        return drafts.map((d, i) => this.set.proxy(d.name) ?? sent[i]);
    }
    async updateProxy(name, patch) {
        const listen = patch.listen === undefined ? undefined : this.set.asStored(name, patch.listen);
        const answer = await this.change('PATCH', `/proxies/${encodeURIComponent(name)}`, defined({ ...patch, listen }));
        return this.set.proxy(name) ?? answer.body;
    }
    async removeProxy(name) {
        await this.change('DELETE', `/proxies/${encodeURIComponent(name)}`);
    }
    async addToxic(proxy, draft) {
        const answer = await this.change('POST', `/proxies/${encodeURIComponent(proxy)}/toxics`, toxicJson(draft));
        return this.set.toxic(proxy, draft.name) ?? answer.body;
    }
    async updateToxic(proxy, toxic, patch) {
        const { ttlMs, ...rest } = patch;
        const answer = await this.change('PATCH', `/proxies/${encodeURIComponent(proxy)}/toxics/${encodeURIComponent(toxic)}`, { ...defined(rest), ...(ttlMs !== undefined ? { ttl: `${ttlMs}ms` } : {}) });
        return this.set.toxic(proxy, toxic) ?? answer.body;
    }
    async removeToxic(proxy, toxic) {
        await this.change('DELETE', `/proxies/${encodeURIComponent(proxy)}/toxics/${encodeURIComponent(toxic)}`);
    }
    async reset() {
        await this.change('POST', '/reset');
    }
    /** Stops following and serving; the set stays in the control plane for the other processes. */
    async close() {
        await this.follower.close();
        await this.set.close();
        await this.api.close();
    }
    stats() {
        return this.set.stats();
    }
    get leasesEnded() {
        return this.set.leasesEnded;
    }
    /** The control plane as this process sees it: /healthz `control`, and /metrics. */
    control() {
        return this.follower.health();
    }
    /**
     * A set the control plane never wrote (revision 0), after one it had, is
     * a control plane that came back empty (a memory store without --data):
     * it gets the proxies this server serves, and their toxics that hang on
     * no lease, rather than every process closing them.
     */
    async apply(answer, whole) {
        const snapshot = readSnapshot(answer.body, this.timers.now());
        if (whole && snapshot.revision === 0 && this.set.revision > 0 && this.set.proxies().length > 0) {
            const proxies = this.set.lastKnown();
            await this.api.change('POST', '/populate', proxies);
            this.log(`toxiproxy: the control plane at ${this.api.url} came back without its toxiproxy set (no --data?): gave it the ${proxies.length} proxies this server served`);
            await this.set.apply(readSnapshot((await this.api.snapshot()).body, this.timers.now()), true);
            return;
        }
        await this.set.apply(snapshot, whole);
    }
    /** The control plane's set now, when it answers; else the last known, said once. */
    async fresh() {
        if (!this.follower.connected)
            return;
        try {
            await this.apply(await this.api.snapshot(), false);
        }
        catch (err) {
            if (!(err instanceof ControlFailure))
                throw err;
            this.follower.lost(err.message);
        }
    }
    /** One change on the control plane, then its revision served here (if the control plane still answers). */
    async change(method, path, body) {
        let answer;
        try {
            answer = await this.api.change(method, path, body);
        }
        catch (err) {
            if (!(err instanceof ControlFailure))
                throw err;
            if (err.kind === 'UNREACHABLE')
                this.follower.lost(err.message);
            throw new ToxiproxyError('UNAVAILABLE', 503, `${err.message}: the change was not made, or not confirmed; this server keeps serving the proxies and toxics it last knew`);
        }
        if (this.set.revision < answer.revision)
            await this.fresh();
        return answer;
    }
}
/** A toxic as POST .../toxics takes it; the ttl in ms, which the control plane reads as a duration. */
const toxicJson = (t) => ({ name: t.name, type: t.type, stream: t.stream, toxicity: t.toxicity, attributes: t.attributes, ...(t.ttlMs !== undefined ? { ttl: `${t.ttlMs}ms` } : {}) });
const proxyJson = (d) => ({ name: d.name, listen: d.listen, upstream: d.upstream, ...(d.enabled !== undefined ? { enabled: d.enabled } : {}), ...(d.toxics ? { toxics: d.toxics.map(toxicJson) } : {}) });
const defined = (o) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
const throwError = (err) => {
    throw err;
};
//# sourceMappingURL=control-registry.js.map