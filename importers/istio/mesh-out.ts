import type { SourceIssue } from '../../proxy/config/config-error.js';
import type { LoadBalancerKind } from '../../proxy/config/policy-schema.js';
import type { DestinationRuleOut } from './destination-rule.js';
import type { Path } from './findings.js';
import { faultmeshDuration } from './go-duration.js';
import type { RetriesOut } from './retries.js';
import type { OutlierOut } from './traffic-policy.js';
import type { ServiceFromVs } from './virtual-service.js';
import type { RouteOut } from './vs-routes.js';

/** A service policy as a mesh file takes it: only what the Istio files set, or where Istio's default differs from faultmesh's. */
export interface PolicyOut {
  readonly timeout?: string;
  readonly retries?: Partial<RetriesOut> & { readonly budget?: { readonly percent: number } };
  readonly outlierDetection: OutlierOut | { readonly enabled: false };
  readonly loadBalancer?: LoadBalancerKind;
}

/** One faultmesh service, translated, with the resources it came from (for the comment the file gets). */
export interface ServiceOut {
  readonly from: readonly string[];
  readonly tls?: 'mutual' | 'off';
  readonly policy: PolicyOut;
  /** Policy keys written from Istio's defaults, not from the files: a merge keeps what the mesh file has for them. */
  readonly implied: ReadonlyArray<keyof PolicyOut>;
  readonly routes: readonly RouteOut[];
  /** Places a path of the VirtualService the routes came from in its file: where a merge says a route's subset has no instance. */
  readonly locateRoutes?: (path: Path) => SourceIssue;
}

/** A route as the mesh file holds it: without where it came from. */
export const routeValue = ({ from: _from, toFrom: _toFrom, ...route }: RouteOut) => route;

/**
 * A service from its VirtualService (routes, timeout, retries) and its
 * DestinationRule (balancer, ejection, retry budget, TLS). Istio ejects no
 * instance unless a DestinationRule asks it to, where faultmesh ejects by
 * default: so without outlierDetection the policy says `enabled: false`.
 */
export function serviceOut(vs: { part: ServiceFromVs; at: string; locate?: (path: Path) => SourceIssue } | undefined, dr: { rule: DestinationRuleOut; at: string } | undefined): ServiceOut {
  const p = dr?.rule.policy ?? {};
  const budget = p.budgetPercent?.value;
  const retries = vs?.part.retries || budget !== undefined ? { ...(vs?.part.retries ?? {}), ...(budget !== undefined ? { budget: { percent: budget } } : {}) } : undefined;
  const policy: PolicyOut = {
    ...(vs?.part.timeoutMs !== undefined ? { timeout: faultmeshDuration(vs.part.timeoutMs) } : {}),
    ...(retries ? { retries } : {}),
    outlierDetection: p.outlierDetection?.value ?? { enabled: false },
    ...(p.loadBalancer ? { loadBalancer: p.loadBalancer.value } : {}),
  };
  return {
    from: [vs?.at, dr?.at].filter((x): x is string => x !== undefined),
    ...(p.tls ? { tls: p.tls.value } : {}),
    policy,
    implied: p.outlierDetection ? [] : ['outlierDetection'],
    routes: vs?.part.routes ?? [],
    ...(vs?.locate ? { locateRoutes: vs.locate } : {}),
  };
}
