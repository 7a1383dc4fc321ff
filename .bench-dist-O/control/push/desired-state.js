import { isDesired } from '../keys.js';
import { realTimers } from '../../proxy/core/timers.js';
import { buildDesired, newestChange, readEnds } from './desired-build.js';
const HISTORY = 1000;
/** How soon a build that failed (the store out of reach) is tried again. */
const RETRY_MS = 500;
/**
 * Watches the store and keeps the desired state built at its latest
 * revision, telling subscribers on every new version. Rebuilds are one at a
 * time and coalesced: changes that arrive during a build are covered by one
 * more build, so a burst of writes costs two builds, not one per write.
 */
export class DesiredState {
    store;
    keys;
    now;
    deadlines;
    retryTimers;
    state;
    listeners = new Set();
    leaseListeners = new Set();
    /** version -> [builtAt, halted], for how long proxies are behind and whether the version they run is halted. */
    history = new Map();
    chain = Promise.resolve();
    queued;
    stopWatch;
    /** The newest desired change this replica knows of (watch events, or a relabelled list). */
    seen = 0;
    relabel = false;
    stopped = false;
    /** Every key as the last successful list saw it: what reads are answered from while the store is out of reach. */
    lastListed = [];
    timers;
    pollTimer;
    lastError;
    constructor(store, keys, now, 
    /** On a shared store: the lease deadlines the control plane recorded (replica/lease-deadlines.ts). */
    deadlines, retryTimers = realTimers) {
        this.store = store;
        this.keys = keys;
        this.now = now;
        this.deadlines = deadlines;
        this.retryTimers = retryTimers;
        this.state = { version: 0, builtAt: now(), mesh: null, registrations: [], faults: [], halt: undefined, overrides: [], digest: '' };
    }
    async start() {
        await this.refresh(true);
        this.watchFrom(this.state.version);
    }
    /**
     * Takes another replica's number for the state this one just started on:
     * a start labels its state with the store's revision, which bookkeeping
     * moves too, so two replicas would number one state differently until
     * the next change. Only before anyone was sent a version.
     */
    adopt(version, digest) {
        if (this.listeners.size > 0 || digest !== this.state.digest || version >= this.state.version)
            return false;
        this.history.delete(this.state.version);
        this.state = { ...this.state, version };
        this.history.set(version, { builtAt: this.state.builtAt, halted: this.state.halt !== undefined });
        return true;
    }
    /** Resolves once this replica has built `version` or later (true), or after `ms` (false): a proxy moving here from a replica a watch ahead. */
    async waitForVersion(version, ms) {
        if (this.state.version >= version)
            return true;
        return new Promise((resolve) => {
            const timer = setTimeout(() => (off(), resolve(false)), ms);
            const off = this.subscribe((d) => {
                if (d.version < version)
                    return;
                clearTimeout(timer);
                off();
                resolve(true);
            });
        });
    }
    /**
     * The watch that keeps the state current. Nothing may end it for good
     * while the control plane runs: a watch that fell behind the history
     * (COMPACTED) or that the store ended (etcd cancelling it, a lost member)
     * starts again from a fresh list, labelled anew since changes may have
     * been missed; a build that failed (the store out of reach for a moment)
     * is tried again. Snapshots are whole, so nothing is lost either way.
     */
    watchFrom(version) {
        this.stopWatch = this.store.watch(this.keys.prefix, version, 
        // Only desired keys make a version: bookkeeping (the epoch, replicas' status, lease deadlines) or another mesh's keys under this prefix would push every proxy the same state again.
        (events) => {
            let newest = 0;
            for (const e of events)
                if (isDesired(this.keys, e.type === 'put' ? e.kv.key : e.key))
                    newest = Math.max(newest, e.type === 'put' ? e.kv.modRevision : e.modRevision);
            if (newest === 0)
                return;
            this.seen = Math.max(this.seen, newest);
            this.refreshOrRetry(false);
        }, (err) => {
            this.lastError = err.message;
            if (this.stopped)
                return;
            this.stopWatch = undefined;
            this.refreshOrRetry(true, () => this.watchFrom(this.state.version));
        });
    }
    /** A rebuild, then `then`; a rebuild that fails is tried again after RETRY_MS until one succeeds or the state stops. */
    refreshOrRetry(relabel, then) {
        this.refresh(relabel).then(() => then?.(), () => {
            if (this.stopped)
                return;
            const timer = this.retryTimers.setTimeout(() => this.refreshOrRetry(relabel, then), RETRY_MS);
            timer.unref?.();
        });
    }
    stop() {
        this.stopped = true;
        this.stopWatch?.();
        this.timers?.clearTimeout(this.pollTimer);
        this.timers = undefined;
    }
    /**
     * On a shared store another replica may renew a lease (the runner renews
     * through whichever it reaches): nothing in the store changes, so every
     * `everyMs` this replica reads the remainders of the leases it pushes
     * and tells its proxies, who would otherwise end the fault at the old end.
     */
    pollLeases(timers, everyMs) {
        this.timers = timers;
        const tick = () => {
            this.pollTimer = timers.setTimeout(() => {
                const leased = [...this.state.faults, ...this.state.overrides].some((l) => l.lease !== undefined);
                void (leased ? this.refreshLeases() : Promise.resolve()).catch(() => { }).finally(() => this.timers && tick());
            }, everyMs);
            this.pollTimer.unref?.();
        };
        tick();
    }
    get current() {
        return this.state;
    }
    subscribe(listener) {
        this.listeners.add(listener);
        return () => this.listeners.delete(listener);
    }
    onLeases(listener) {
        this.leaseListeners.add(listener);
        return () => this.leaseListeners.delete(listener);
    }
    /** When `version` was built, and whether it was halted; undefined once it is out of the bounded history. */
    versionInfo(version) {
        return this.history.get(version);
    }
    /** When the oldest version after `version` that the bounded history holds was built: a proxy on `version` is behind since then. */
    firstBuiltAfter(version) {
        for (const [v, info] of this.history)
            if (v > version)
                return info.builtAt;
        return undefined;
    }
    /**
     * Rebuilds from the store; resolves once a build that started after this
     * call is done. A build is labelled with the revision of the newest
     * desired change it holds (a watch event's, or a key's), not the list's:
     * bookkeeping writes move the store's revision too, and two replicas must
     * number one state alike. `relabel`: the list's own revision (a start,
     * or a watch that missed events).
     */
    refresh(relabel = false) {
        if (relabel)
            this.relabel = true;
        if (this.queued)
            return this.queued;
        const next = this.chain.then(async () => {
            // One turn of the event loop first: writes already read from their sockets in this turn then
            // join this build. Without it each write under load was a build and a push to every proxy of
            // its own, ~37 ms of CPU with 510 proxies, which capped sustained writes at ~25/s (bench:control).
            await new Promise((resolve) => setImmediate(resolve));
            this.queued = undefined;
            return this.rebuild();
        });
        this.queued = next;
        this.chain = next.catch(() => { });
        return next;
    }
    /**
     * After a lease was kept alive: reads what is left of every fault's and
     * override's lease and tells subscribers. A renewal is not a new version
     * (etcd keepalives do not bump the revision either).
     */
    async refreshLeases() {
        await this.chain;
        const { faults, overrides } = this.state;
        await readEnds(this.store, [...faults, ...overrides], this.now, await this.deadlines?.());
        const remaining = {};
        const byRoute = {};
        const now = this.now();
        for (const f of faults)
            remaining[f.id] = Math.max(0, f.endsAt - now);
        for (const o of overrides)
            byRoute[`${o.value.service}/${o.value.route}`] = Math.max(0, o.endsAt - now);
        for (const listener of this.leaseListeners)
            listener({ remaining, overrides: byRoute });
    }
    /** The snapshot a proxy receives, with every lease's remainder counted at `now`. */
    snapshot(d = this.state, now = this.now()) {
        const left = (l) => Math.max(0, l.endsAt - now);
        return {
            version: d.version,
            mesh: d.mesh ? { text: d.mesh.text, file: d.mesh.file } : null,
            registrations: d.registrations.map(({ value: r }) => ({ service: r.service, id: r.id, address: r.address, ...(r.region ? { region: r.region } : {}), ...(r.zone ? { zone: r.zone } : {}), labels: r.labels })),
            // Ended leases are left out, though no build has dropped them yet (their delete is on its way, or the store is out of reach).
            faults: d.faults.filter((f) => left(f) > 0).map((f) => ({ id: f.id, spec: f.value.spec, remainingMs: left(f) })),
            halted: d.halt !== undefined,
            overrides: d.overrides.filter((o) => left(o) > 0).map((o) => ({ service: o.value.service, route: o.value.route, to: o.value.to, remainingMs: left(o) })),
        };
    }
    async rebuild() {
        let listed;
        try {
            listed = await this.store.list(this.keys.prefix);
        }
        catch (err) {
            this.lastError = err.message;
            throw err;
        }
        this.lastError = undefined;
        this.lastListed = listed.items;
        if (this.relabel) {
            this.relabel = false;
            this.seen = Math.max(this.seen, listed.revision);
        }
        const version = Math.max(this.seen, newestChange(listed.items, (key) => isDesired(this.keys, key)));
        if (version <= this.state.version)
            return;
        const next = await buildDesired(listed.items, version, this.keys, this.store, this.now, await this.deadlines?.());
        this.state = next;
        this.history.set(next.version, { builtAt: next.builtAt, halted: next.halt !== undefined });
        if (this.history.size > HISTORY)
            this.history.delete(this.history.keys().next().value);
        for (const listener of this.listeners)
            listener(next);
    }
}
//# sourceMappingURL=desired-state.js.map