import { faultmeshDuration } from './go-duration.js';
/** A route as the mesh file holds it: without where it came from. */
export const routeValue = ({ from: _from, toFrom: _toFrom, ...route }) => route;
/**
 * A service from its VirtualService (routes, timeout, retries) and its
 * DestinationRule (balancer, ejection, retry budget, TLS). Istio ejects no
 * instance unless a DestinationRule asks it to, where faultmesh ejects by
 * default: so without outlierDetection the policy says `enabled: false`.
 */
export function serviceOut(vs, dr) {
    const p = dr?.rule.policy ?? {};
    const budget = p.budgetPercent?.value;
    const retries = vs?.part.retries || budget !== undefined ? { ...(vs?.part.retries ?? {}), ...(budget !== undefined ? { budget: { percent: budget } } : {}) } : undefined;
    const policy = {
        ...(vs?.part.timeoutMs !== undefined ? { timeout: faultmeshDuration(vs.part.timeoutMs) } : {}),
        ...(retries ? { retries } : {}),
        outlierDetection: p.outlierDetection?.value ?? { enabled: false },
        ...(p.loadBalancer ? { loadBalancer: p.loadBalancer.value } : {}),
    };
    return {
        from: [vs?.at, dr?.at].filter((x) => x !== undefined),
        ...(p.tls ? { tls: p.tls.value } : {}),
        policy,
        implied: p.outlierDetection ? [] : ['outlierDetection'],
        routes: vs?.part.routes ?? [],
        ...(vs?.locate ? { locateRoutes: vs.locate } : {}),
    };
}
//# sourceMappingURL=mesh-out.js.map