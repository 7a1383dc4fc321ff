import { hasLabels } from '../config/mesh-schema.js';
/**
 * Why `to` cannot replace route `route` of `service` in `mesh`, or
 * undefined when it can. Only a route that splits traffic (a `to` of two
 * subsets or more) may be overridden: one subset takes all the traffic,
 * and an override would silently re-aim the whole route. A weighted
 * subset must have instances, since a proxy's own mesh lists them all.
 */
export function whyNotOverridable(mesh, o) {
    const route = mesh.services[o.service]?.routes[o.route];
    if (!route?.to)
        return { field: 'route', message: `the mesh has no route ${o.route} with "to" in service "${o.service}"` };
    if (route.to.length < 2)
        return { field: 'route', message: `route ${o.route} of service "${o.service}" does not split (its "to" has one subset); change the mesh to split it first` };
    const instances = mesh.services[o.service].instances;
    const i = o.to.findIndex((s) => s.weight > 0 && !instances.some((inst) => hasLabels(inst.labels, s.labels)));
    if (i >= 0)
        return { field: `to[${i}].labels`, message: `no instance of "${o.service}" has labels ${JSON.stringify(o.to[i].labels)}: its share of route ${o.route} would all be refused` };
    return undefined;
}
const keyOf = (service, route) => `${service}/${route}`;
/**
 * The route overrides put on this proxy's admin API (file mode): runtime
 * state, changed only there. Each ends by the clock, looked at when read;
 * nothing has to sweep it for the mesh's weights to come back.
 */
export class RouteOverrides {
    now;
    byKey = new Map();
    constructor(now) {
        this.now = now;
    }
    /** Sets or renews (a new ttl) the override of one route. */
    put(o, ttlMs) {
        const now = this.now();
        const override = { service: o.service, route: o.route, to: o.to, ...(o.by === undefined ? {} : { by: o.by }), at: new Date(now).toISOString(), endsAt: now + ttlMs };
        this.byKey.set(keyOf(o.service, o.route), override);
        return override;
    }
    remove(service, route) {
        return this.byKey.delete(keyOf(service, route));
    }
    /** The overrides whose ttl has not run out; ended ones are forgotten here. */
    live() {
        const now = this.now();
        for (const [key, o] of this.byKey)
            if (o.endsAt <= now)
                this.byKey.delete(key);
        return [...this.byKey.values()];
    }
    /** Forgets the overrides `keep` refuses (a reload whose mesh no longer splits their route); returns them. */
    retain(keep) {
        const dropped = this.live().filter((o) => !keep(o));
        for (const o of dropped)
            this.byKey.delete(keyOf(o.service, o.route));
        return dropped;
    }
}
//# sourceMappingURL=route-overrides.js.map