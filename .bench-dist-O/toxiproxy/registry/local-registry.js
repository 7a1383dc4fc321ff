import { realTimers } from '../../proxy/core/timers.js';
import { populateKeeps } from '../input/address.js';
import { patchedSpec, specOf } from '../input/toxic-input.js';
import { inListOrder, viewOfToxic } from '../model.js';
import { proxyExists, proxyNotFound, toxicExists, toxicNotFound, ToxiproxyError } from '../toxiproxy-error.js';
import { converge, newListener, setChain, startListener, viewOfListener } from './listener.js';
import { PopulateError } from './registry.js';
import { ToxicLeases } from './toxic-leases.js';
/**
 * The registry of one process: proxies and their toxics in memory, each
 * served by a TcpProxy (toxiproxy/tcp). Changes run one at a time, because
 * starting a listener is asynchronous and two requests must not both find
 * a name free.
 */
export class LocalRegistry {
    options;
    entries = new Map();
    timers;
    leases;
    queue = Promise.resolve();
    /** Toxics removed because their lease ended, for /metrics. */
    leasesEnded = 0;
    constructor(options = {}) {
        this.options = options;
        this.timers = options.timers ?? realTimers;
        this.leases = new ToxicLeases(this.timers, (proxy, toxic, expiresAt) => void this.endLease(proxy, toxic, expiresAt));
    }
    async proxies() {
        return [...this.entries.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).map(viewOf);
    }
    async proxy(name) {
        return viewOf(this.entry(name));
    }
    createProxy(draft) {
        return this.exclusive(async () => {
            if (this.entries.has(draft.name))
                throw proxyExists(['name']);
            const entry = this.newEntry(draft, (draft.toxics ?? []).map((t, i) => this.stateOf(t, ['toxics', i])));
            if (draft.enabled ?? true)
                await this.start(entry);
            this.entries.set(entry.name, entry);
            this.arm(entry.name, entry.toxics);
            return viewOf(entry);
        });
    }
    populate(drafts) {
        return this.exclusive(async () => {
            // Every toxic is checked before any proxy is touched: a bad one changes nothing.
            const toxicsOf = drafts.map((d, i) => d.toxics?.map((t, j) => this.stateOf(t, [i, 'toxics', j])));
            const done = [];
            for (const [i, draft] of drafts.entries()) {
                try {
                    done.push(viewOf(await this.populateOne(draft, toxicsOf[i])));
                }
                catch (err) {
                    throw err instanceof ToxiproxyError ? new PopulateError(err, done) : err;
                }
            }
            return done;
        });
    }
    /** One /populate entry: kept when its listen and upstream match (with its toxics, unless the entry lists some), else replaced. */
    async populateOne(draft, toxics) {
        const existing = this.entries.get(draft.name);
        if (existing && populateKeeps({ listen: existing.tcp.listenAddress, upstream: existing.tcp.upstream }, draft)) {
            if (toxics)
                this.setToxics(existing, toxics);
            if (draft.enabled === true)
                await this.start(existing);
            if (draft.enabled === false)
                await this.stop(existing);
            return existing;
        }
        // Replaced, as Toxiproxy does: the old proxy stops (and stays, disabled, if the new one cannot listen).
        if (existing)
            await this.stop(existing);
        const entry = this.newEntry(draft, toxics ?? []);
        if (draft.enabled ?? true)
            await this.start(entry);
        if (existing)
            this.leases.releaseAll(existing.name);
        this.entries.set(entry.name, entry);
        this.arm(entry.name, entry.toxics);
        return entry;
    }
    updateProxy(name, patch) {
        return this.exclusive(async () => {
            const entry = this.entry(name);
            await converge(entry.tcp, { listen: patch.listen, upstream: patch.upstream, enabled: patch.enabled ?? entry.tcp.running });
            return viewOf(entry);
        });
    }
    removeProxy(name) {
        return this.exclusive(async () => {
            const entry = this.entry(name);
            await this.stop(entry);
            this.leases.releaseAll(name);
            this.entries.delete(name);
        });
    }
    async toxics(proxy) {
        return inListOrder(this.entry(proxy).toxics).map(viewOfToxic);
    }
    async toxic(proxy, toxic) {
        return viewOfToxic(this.toxicOf(this.entry(proxy), toxic));
    }
    addToxic(proxy, draft) {
        return this.exclusive(async () => {
            const entry = this.entry(proxy);
            if (entry.toxics.some((t) => t.spec.name === draft.name))
                throw toxicExists(['name']);
            const toxic = this.stateOf(draft);
            this.setToxics(entry, [...entry.toxics, toxic]);
            return viewOfToxic(toxic);
        });
    }
    updateToxic(proxy, name, patch) {
        return this.exclusive(async () => {
            const entry = this.entry(proxy);
            const current = this.toxicOf(entry, name);
            const next = { spec: patchedSpec(current.spec, patch), expiresAt: patch.ttlMs === undefined ? current.expiresAt : this.timers.now() + patch.ttlMs };
            // In place: a toxic keeps its position in its chain, as in Toxiproxy.
            this.setToxics(entry, entry.toxics.map((t) => (t === current ? next : t)));
            return viewOfToxic(next);
        });
    }
    removeToxic(proxy, name) {
        return this.exclusive(async () => {
            const entry = this.entry(proxy);
            const toxic = this.toxicOf(entry, name);
            this.setToxics(entry, entry.toxics.filter((t) => t !== toxic));
        });
    }
    reset() {
        return this.exclusive(async () => {
            for (const entry of this.entries.values()) {
                await this.start(entry);
                this.setToxics(entry, []);
            }
        });
    }
    close() {
        return this.exclusive(async () => {
            this.leases.releaseAll();
            await Promise.all([...this.entries.values()].map((e) => this.stop(e)));
        });
    }
    /** Each proxy's toxics and traffic so far, read by /metrics at scrape time. */
    stats() {
        return [...this.entries.values()].map((e) => ({ name: e.name, enabled: e.tcp.running, toxics: e.toxics, traffic: e.tcp.stats() }));
    }
    /** Runs `change` after every change before it, so no two interleave at an await. */
    exclusive(change) {
        const run = this.queue.then(change);
        this.queue = run.catch(() => undefined);
        return run;
    }
    entry = (name) => this.entries.get(name) ?? throwError(proxyNotFound());
    toxicOf = (entry, name) => entry.toxics.find((t) => t.spec.name === name) ?? throwError(toxicNotFound());
    /** A toxic validated (400 on bad attributes), with the end of its lease when it has a ttl. Arms nothing. */
    stateOf(draft, at = []) {
        const spec = specOf(draft, at);
        return draft.ttlMs === undefined ? { spec } : { spec, expiresAt: this.timers.now() + draft.ttlMs };
    }
    /** Arms the lease of every toxic of `proxy` that has one. */
    arm(proxy, toxics) {
        for (const t of toxics)
            if (t.expiresAt !== undefined)
                this.leases.hold(proxy, t.spec.name, t.expiresAt);
    }
    /**
     * Sets a proxy's toxics, on its open connections too. Leases follow: one
     * of a toxic gone is disarmed, one that is new or renewed is armed.
     */
    setToxics(entry, toxics) {
        for (const t of entry.toxics)
            if (!toxics.includes(t))
                this.leases.release(entry.name, t.spec.name);
        this.arm(entry.name, toxics.filter((t) => !entry.toxics.includes(t)));
        entry.toxics = toxics;
        setChain(entry.tcp, toxics);
    }
    newEntry(draft, toxics) {
        return { name: draft.name, toxics, tcp: newListener(draft, toxics, this.options.random) };
    }
    start = (entry) => startListener(entry.tcp);
    /** Closes the listener and every connection (a disabled proxy); what it carried stays counted. */
    stop = (entry) => entry.tcp.stop();
    /** A lease ran out: the toxic goes, unless it was renewed or replaced since the timer was armed. */
    endLease(proxy, name, expiresAt) {
        return this.exclusive(async () => {
            const entry = this.entries.get(proxy);
            const toxic = entry?.toxics.find((t) => t.spec.name === name);
            if (!entry || !toxic || toxic.expiresAt !== expiresAt)
                return;
            this.leasesEnded += 1;
            this.setToxics(entry, entry.toxics.filter((t) => t !== toxic));
        });
    }
}
const throwError = (err) => {
    throw err;
};
const viewOf = (e) => viewOfListener(e.name, e.tcp, e.toxics);
//# sourceMappingURL=local-registry.js.map