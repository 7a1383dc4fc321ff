const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
/**
 * Puts each override's subsets in place of its route's `to`, in place, in a
 * mesh's `services`: the YAML data of a mesh text before it is validated
 * (the control plane's merge), or a validated mesh's clone (a proxy's own
 * overrides, file mode). Both have the same shape where it matters, so one
 * function serves both. Only a route that splits traffic (has `to`) has
 * weights to override; an override of any other route, or of a route or
 * service that is not there, is skipped: whoever took it checked it then.
 */
export function applySplitOverrides(services, overrides) {
    if (!isObject(services))
        return;
    for (const o of overrides) {
        const service = services[o.service];
        const routes = isObject(service) ? service.routes : undefined;
        const route = Array.isArray(routes) ? routes[o.route] : undefined;
        if (isObject(route) && Array.isArray(route.to))
            route.to = o.to.map((s) => ({ labels: { ...s.labels }, weight: s.weight }));
    }
}
//# sourceMappingURL=split-overrides.js.map