import type { MeshConfig, RouteConfig, ServiceConfig } from '../config/mesh-schema.js';
import type { Endpoint } from '../registry/endpoint.js';
import type { ServiceRegistry } from '../registry/service-registry.js';
import type { Random } from './balancer.js';
import { compileMatch, type Matcher, type RequestFacts } from './route-match.js';
import { Split } from './split.js';

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
  private readonly fallback: RouteDecision;

  constructor(
    readonly name: string,
    readonly config: ServiceConfig,
    readonly endpoints: readonly Endpoint[],
    random: Random,
  ) {
    const kind = config.loadBalancer;
    this.routes = config.routes.map((spec, index) => ({
      index,
      spec,
      matches: compileMatch(spec.match),
      action: spec.deny !== undefined ? { kind: 'deny', status: spec.deny } : { kind: 'forward', split: new Split(spec.to ?? [], endpoints, kind, random) },
    }));
    this.fallback = { route: undefined, action: { kind: 'forward', split: new Split([{ labels: {} }], endpoints, kind, random) } };
  }

  /** First matching route wins; no match sends the request to every instance. */
  decide(facts: RequestFacts): RouteDecision {
    for (const route of this.routes) if (route.matches(facts)) return { route: route.index, action: route.action };
    return this.fallback;
  }

  describe() {
    return {
      service: this.name,
      loadBalancer: this.config.loadBalancer,
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
}

export function buildMeshTable(mesh: MeshConfig, registry: ServiceRegistry, random: Random): MeshTable {
  const services = new Map<string, ServiceTable>();
  for (const [name, config] of Object.entries(mesh.services)) {
    services.set(name, new ServiceTable(name, config, registry.endpoints(name), random));
  }
  return { customerHeader: mesh.customerHeader, services };
}
