import { applySplitOverrides } from './config/split-overrides.js';
import { StaticRegistry } from './registry/service-registry.js';
import { buildMeshTable } from './routing/mesh-table.js';
import { RouteOverrides, whyNotOverridable } from './routing/route-overrides.js';
/** An override the running mesh cannot take; the admin API answers it 400. */
export class OverrideRefusedError extends Error {
    refusal;
    code = 'OVERRIDE_REFUSED';
    name = 'OverrideRefusedError';
    constructor(refusal) {
        super(refusal.message);
        this.refusal = refusal;
    }
}
/** What the hot path sees before any configuration arrived: no services, and why, so every call is refused as not ready. */
const EMPTY_SERVICES = new Map();
/**
 * The running configuration, rebuilt from each snapshot of a mesh source (a
 * file, the control plane). Each snapshot builds a complete new table that
 * is swapped in one assignment: requests see the old or the new mesh, never
 * a mix. Instances that keep their id and address keep their counters and
 * health, and services keep their retry budgets.
 *
 * The route overrides put on this proxy's admin API (file mode) apply on
 * top of each snapshot, and survive reloads while their route still
 * splits. When the first of them ends by the clock, the next look at the
 * table rebuilds it without it: the mesh's weights come back by themselves.
 */
export class MeshState {
    source;
    deps;
    whyNotReady;
    built;
    stop;
    overrides;
    /** Clock time the first live override ends; Infinity without one, so the hot path skips the clock. */
    overridesEndAt = Infinity;
    /** @param whyNotReady what to tell callers while there is no snapshot (the control plane's connection state, for one). */
    constructor(source, deps, whyNotReady = () => 'no mesh configuration') {
        this.source = source;
        this.deps = deps;
        this.whyNotReady = whyNotReady;
        this.overrides = new RouteOverrides(deps.now);
        const first = source.current();
        if (first)
            this.built = this.build(first);
        // Throwing tells the source the snapshot could not be applied (a control source NACKs it); the running table stays.
        this.stop = source.onSnapshot((snapshot) => {
            this.built = this.build(snapshot, this.built);
        });
    }
    table = () => {
        if (this.overridesEndAt !== Infinity && this.deps.now() >= this.overridesEndAt)
            this.rebuild();
        return this.built?.table ?? { customerHeader: 'x-customer-id', services: EMPTY_SERVICES, notReady: this.whyNotReady() };
    };
    /** One service of the running table (its routes, policy and authorizer); undefined when the mesh has no such service. */
    service(name) {
        return this.table().services.get(name);
    }
    /**
     * Sets (or renews, with a new ttl) the override of one route; throws
     * OverrideRefusedError, changing nothing, when the running mesh cannot
     * take it. The table is rebuilt at once.
     */
    putOverride(o, ttlMs) {
        const mesh = this.built?.snapshot.config;
        if (!mesh)
            throw new OverrideRefusedError({ field: 'route', message: 'this proxy has no mesh yet' });
        const refusal = whyNotOverridable(mesh, o);
        if (refusal)
            throw new OverrideRefusedError(refusal);
        const put = this.overrides.put(o, ttlMs);
        this.rebuild();
        return put;
    }
    /** Ends one override now; false when there was none. */
    removeOverride(service, route) {
        const removed = this.overrides.remove(service, route);
        if (removed)
            this.rebuild();
        return removed;
    }
    /** The overrides in force. */
    liveOverrides() {
        this.table(); // an override that just ended leaves the table first
        return this.overrides.live();
    }
    /** Why the proxy cannot route yet (for /healthz and NOT_READY answers); undefined once it has a snapshot. */
    notReadyReason() {
        return this.built ? undefined : this.whyNotReady();
    }
    /** The snapshot in force; undefined until the source delivered one. */
    get snapshot() {
        return this.built?.snapshot;
    }
    get registry() {
        return this.built?.registry;
    }
    get loadedAt() {
        return this.built?.loadedAt;
    }
    /** Asks the source to read again (SIGHUP, POST /v1/reload); undefined when the source pushes instead. */
    get reload() {
        return this.source.reload;
    }
    close() {
        this.stop();
        this.source.close();
    }
    /** The same snapshot with the overrides as they are now; its load time stays. */
    rebuild() {
        if (this.built)
            this.built = { ...this.build(this.built.snapshot, this.built), loadedAt: this.built.loadedAt };
        else
            this.overridesEndAt = Infinity;
    }
    build(snapshot, previous) {
        // A new mesh may no longer split an overridden route: that override is dropped, not left to re-aim the route.
        const live = this.overrides.live().filter((o) => whyNotOverridable(snapshot.config, o) === undefined);
        const registry = new StaticRegistry(snapshot.config, previous?.registry);
        const built = { snapshot, registry, table: buildMeshTable(withOverrides(snapshot.config, live), registry, this.deps, previous?.table), loadedAt: new Date() };
        // Only once the table is built: a snapshot that fails to apply keeps the running table, and its overrides.
        this.overrides.retain((o) => live.includes(o));
        this.overridesEndAt = Math.min(Infinity, ...live.map((o) => o.endsAt));
        return built;
    }
}
/** `mesh` with each override's subsets in place of its route's; `mesh` itself when there is none. */
function withOverrides(mesh, overrides) {
    if (overrides.length === 0)
        return mesh;
    const merged = structuredClone(mesh);
    applySplitOverrides(merged.services, overrides);
    return merged;
}
//# sourceMappingURL=mesh-state.js.map