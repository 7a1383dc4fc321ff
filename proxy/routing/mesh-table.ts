import { compileAuthorization, type Authorizer } from '../authz/policy.js';
import type { ForwarderKind, MeshConfig, RouteConfig, ServiceConfig } from '../config/mesh-schema.js';
import type { Policy } from '../config/policy-schema.js';
import type { Endpoint } from '../registry/endpoint.js';
import type { ServiceRegistry } from '../registry/service-registry.js';
import { OutlierDetector, type EjectionReason } from '../resilience/outlier-detector.js';
import { RetryBudget } from '../resilience/retry-budget.js';
import type { Random } from './balancer.js';
import { compileMatch, type Matcher, type RequestFacts } from './route-match.js';
import { Split, type PickerConfig } from './split.js';

/** The runtime services a table is built with; the clock and randomness are injected. */
export interface TableDeps {
  readonly random: Random;
  readonly now: () => number;
  readonly onEject: (endpoint: Endpoint, reason: EjectionReason) => void;
}

export type RouteAction =
  | { readonly kind: 'deny'; readonly status: number }
  | { readonly kind: 'forward'; readonly split: Split };

export interface CompiledRoute {
  readonly index: number;
  readonly spec: RouteConfig;
  readonly matches: Matcher;
  readonly action: RouteAction;
}

/** The result of routing one request: which route (if any) and what to do. */
export interface RouteDecision {
  readonly route: number | undefined;
  readonly action: RouteAction;
}

/** One service's routing, compiled once per configuration. */
export class ServiceTable {
  readonly routes: readonly CompiledRoute[];
  readonly policy: Policy;
  /** The service's own forwarder, when the mesh names one or its `tls: mutual` needs undici (forward/forwarder.ts). */
  readonly forwarder: ForwarderKind | undefined;
  readonly detector: OutlierDetector;
  /** The service's `authorization:`, compiled with its routes; its inbound sidecar asks it about each call. */
  readonly authorizer: Authorizer;
  private readonly fallback: RouteDecision;

  constructor(
    readonly name: string,
    readonly config: ServiceConfig,
    readonly endpoints: readonly Endpoint[],
    /** Kept across reloads by the caller: a budget's history outlives a config change. */
    readonly budget: RetryBudget,
    deps: TableDeps,
  ) {
    this.policy = config.policy;
    // mTLS is undici's (transport/tls-connector.ts): a `tls: mutual` service goes through it whatever the
    // proxy's --forwarder (the schema refuses one that names `forwarder: hpm` as well).
    this.forwarder = config.forwarder ?? (config.tls === 'mutual' ? 'undici' : undefined);
    this.authorizer = compileAuthorization(config.authorization);
    this.detector = new OutlierDetector(name, endpoints, config.policy.outlierDetection, deps.now, deps.onEject);
    const picker: PickerConfig = { kind: config.policy.loadBalancer, detector: this.detector, locality: config.policy.locality, random: deps.random, now: deps.now };
    this.routes = config.routes.map((spec, index) => ({
      index,
      spec,
      matches: compileMatch(spec.match),
      action: spec.deny !== undefined ? { kind: 'deny', status: spec.deny } : { kind: 'forward', split: new Split(spec.to ?? [], endpoints, picker) },
    }));
    this.fallback = { route: undefined, action: { kind: 'forward', split: new Split([{ labels: {} }], endpoints, picker) } };
  }

  /** First matching route wins; no match sends the request to every instance. */
  decide(facts: RequestFacts): RouteDecision {
    for (const route of this.routes) if (route.matches(facts)) return { route: route.index, action: route.action };
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

/** Everything the hot path needs, swapped whole on reload. */
export interface MeshTable {
  readonly customerHeader: string;
  readonly services: ReadonlyMap<string, ServiceTable>;
  /** Set only on the table of a proxy that has no configuration yet: why, so a call is answered 503 NOT_READY, not "unknown service". */
  readonly notReady?: string;
}

/** @param previous the table being replaced on reload, whose retry budgets carry over. */
export function buildMeshTable(mesh: MeshConfig, registry: ServiceRegistry, deps: TableDeps, previous?: MeshTable): MeshTable {
  const services = new Map<string, ServiceTable>();
  for (const [name, config] of Object.entries(mesh.services)) {
    const budget = previous?.services.get(name)?.budget ?? new RetryBudget(deps.now);
    services.set(name, new ServiceTable(name, config, registry.endpoints(name), budget, deps));
  }
  return { customerHeader: mesh.customerHeader, services };
}
