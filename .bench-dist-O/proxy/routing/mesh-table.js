import { compileAuthorization } from '../authz/policy.js';
import { OutlierDetector } from '../resilience/outlier-detector.js';
import { RetryBudget } from '../resilience/retry-budget.js';
import { compileMatch } from './route-match.js';
import { Split } from './split.js';
/** One service's routing, compiled once per configuration. */
export class ServiceTable {
    name;
    config;
    endpoints;
    budget;
    routes;
    policy;
    /** The service's own forwarder, when the mesh names one or its `tls: mutual` needs undici (forward/forwarder.ts). */
    forwarder;
    detector;
    /** The service's `authorization:`, compiled with its routes; its inbound sidecar asks it about each call. */
    authorizer;
    fallback;
    constructor(name, config, endpoints, 
    /** Kept across reloads by the caller: a budget's history outlives a config change. */
    budget, deps) {
        this.name = name;
        this.config = config;
        this.endpoints = endpoints;
        this.budget = budget;
        this.policy = config.policy;
        // mTLS is undici's (transport/tls-connector.ts): a `tls: mutual` service goes through it whatever the
        // proxy's --forwarder (the schema refuses one that names `forwarder: hpm` as well).
        this.forwarder = config.forwarder ?? (config.tls === 'mutual' ? 'undici' : undefined);
        this.authorizer = compileAuthorization(config.authorization);
        this.detector = new OutlierDetector(name, endpoints, config.policy.outlierDetection, deps.now, deps.onEject);
        const picker = { kind: config.policy.loadBalancer, detector: this.detector, locality: config.policy.locality, random: deps.random, now: deps.now };
        this.routes = config.routes.map((spec, index) => ({
            index,
            spec,
            matches: compileMatch(spec.match),
            action: spec.deny !== undefined ? { kind: 'deny', status: spec.deny } : { kind: 'forward', split: new Split(spec.to ?? [], endpoints, picker) },
        }));
        this.fallback = { route: undefined, action: { kind: 'forward', split: new Split([{ labels: {} }], endpoints, picker) } };
    }
    /** First matching route wins; no match sends the request to every instance. */
    decide(facts) {
        for (const route of this.routes)
            if (route.matches(facts))
                return { route: route.index, action: route.action };
        return this.fallback;
    }
    describe() {
        return {
            service: this.name,
            loadBalancer: this.policy.loadBalancer,
            routes: this.routes.map((r) => ({
                index: r.index,
                match: r.spec.match,
                ...(r.action.kind === 'deny' ? { deny: r.action.status } : { to: r.action.split.describe() }),
            })),
        };
    }
}
/** @param previous the table being replaced on reload, whose retry budgets carry over. */
export function buildMeshTable(mesh, registry, deps, previous) {
    const services = new Map();
    for (const [name, config] of Object.entries(mesh.services)) {
        const budget = previous?.services.get(name)?.budget ?? new RetryBudget(deps.now);
        services.set(name, new ServiceTable(name, config, registry.endpoints(name), budget, deps));
    }
    return { customerHeader: mesh.customerHeader, services };
}
//# sourceMappingURL=mesh-table.js.map