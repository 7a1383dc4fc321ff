import { serviceOfHost } from './hosts.js';
/**
 * The faultmesh routes of one service, in Istio's order (first match wins
 * in both). Each match block is a route of its own (a faultmesh route has
 * one match); blocks that differ only in their method are one route. When
 * no Istio route takes every request, a last `deny: 404` does what Istio
 * does with a request no route matches.
 */
export function routesFor(service, routes, httpPath, findings, ctx) {
    const out = [];
    for (const { route } of routes) {
        const action = actionOf(service, route, findings, ctx);
        if (!action)
            continue;
        for (const match of routeMatches(route, findings))
            out.push({ ...(match ? { match } : {}), ...action, from: route.path });
    }
    const takesAll = routes.some(({ route }) => route.matches.takesAll);
    if (out.length > 0 && !takesAll) {
        findings.caveat(httpPath, 'no route here takes every request, and Istio answers 404 to a request none matches: a last route deny: 404 is written');
        out.push({ deny: 404, from: httpPath });
    }
    return out;
}
/** Where a route sends requests: a deny, or subsets of this service; undefined (reported) when faultmesh cannot say it. */
function actionOf(service, route, findings, ctx) {
    if (route.deny !== undefined)
        return { deny: route.deny };
    if (!route.routable)
        return undefined;
    const to = [];
    const toFrom = [];
    for (const d of route.destinations) {
        const s = serviceOfHost(d.host, ctx.hosts);
        if (!s.ok)
            return void findings.untranslated([...d.path, 'host'], `${s.message}; this route is left out`);
        if (s.service !== service) {
            return void findings.untranslated([...d.path, 'host'], `a faultmesh route chooses among the instances of the service called (${service}), so it cannot send to ${s.service}; this route is left out of ${service} (callers can call ${s.service} directly)`);
        }
        const labels = d.subset === undefined ? {} : ctx.subsets(service, d.subset);
        if (!labels)
            return void findings.untranslated([...d.path, 'subset'], `no DestinationRule given defines subset "${d.subset}" of ${service}; this route is left out (import the DestinationRule too)`);
        to.push({ labels, ...(route.destinations.length > 1 ? { weight: d.weight } : {}) });
        toFrom.push({ path: d.path, ...(d.subset !== undefined ? { subset: d.subset } : {}) });
    }
    if (to.length > 1 && to.every((t) => t.weight === 0)) {
        return void findings.untranslated([...route.path, 'route'], 'every destination has weight 0 (a weight left out is 0), so Istio sends this route nowhere; give the weights');
    }
    return { to, toFrom };
}
/**
 * A route's blocks as faultmesh route matches (undefined: every request).
 * A block that names the caller (sourceLabels) is left out of the routes:
 * a route cannot match its caller, though the route's fault rules do.
 */
function routeMatches(route, findings) {
    const out = [];
    for (const { match, path } of route.matches.blocks) {
        if (match.sources) {
            findings.untranslated([...path, 'sourceLabels'], 'a faultmesh route cannot match its caller (a fault rule can: its sources); this match block is left out of the routes', true);
            continue;
        }
        const m = routeMatch(match);
        const twin = out.find((o) => o.path === m.path && JSON.stringify(o.headers ?? null) === JSON.stringify(m.headers ?? null) && o.method !== undefined && m.method !== undefined);
        if (twin)
            twin.method = [...new Set([...[twin.method].flat(), ...[m.method].flat()])];
        else
            out.push(m);
    }
    return out.map((m) => (Object.keys(m).length ? m : undefined));
}
function routeMatch(m) {
    return {
        ...(m.methods ? { method: m.methods.length === 1 ? m.methods[0] : [...m.methods] } : {}),
        ...(m.path ? { path: m.path } : {}),
        ...(m.headers ? { headers: m.headers } : {}),
    };
}
//# sourceMappingURL=vs-routes.js.map