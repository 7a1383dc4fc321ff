import type { Findings, Path } from './findings.js';
import { serviceOfHost, type HostContext } from './hosts.js';
import type { MatchOut } from './http-match.js';
import type { HttpRouteIn } from './http-route.js';

/** A subset's labels, from the DestinationRules read alongside; undefined when none defines it. */
export type SubsetLabels = (service: string, subset: string) => Readonly<Record<string, string>> | undefined;

/** A faultmesh route as a mesh file takes it, with the Istio route it came from (for the file's comments). */
export interface RouteOut {
  readonly match?: { readonly method?: string | readonly string[]; readonly path?: string; readonly headers?: Readonly<Record<string, string>> };
  readonly to?: ReadonlyArray<{ readonly labels: Readonly<Record<string, string>>; readonly weight?: number }>;
  readonly deny?: number;
  readonly from: Path;
  /** Where each of `to` was written (its destination), and the subset it names: a merge that finds no instance for one points there. */
  readonly toFrom?: ReadonlyArray<{ readonly path: Path; readonly subset?: string }>;
}

interface RoutesContext {
  readonly hosts: HostContext;
  readonly subsets: SubsetLabels;
}

/**
 * The faultmesh routes of one service, in Istio's order (first match wins
 * in both). Each match block is a route of its own (a faultmesh route has
 * one match); blocks that differ only in their method are one route. When
 * no Istio route takes every request, a last `deny: 404` does what Istio
 * does with a request no route matches.
 */
export function routesFor(service: string, routes: ReadonlyArray<{ readonly index: number; readonly route: HttpRouteIn }>, httpPath: Path, findings: Findings, ctx: RoutesContext): RouteOut[] {
  const out: RouteOut[] = [];
  for (const { route } of routes) {
    const action = actionOf(service, route, findings, ctx);
    if (!action) continue;
    for (const match of routeMatches(route, findings)) out.push({ ...(match ? { match } : {}), ...action, from: route.path });
  }
  const takesAll = routes.some(({ route }) => route.matches.takesAll);
  if (out.length > 0 && !takesAll) {
    findings.caveat(httpPath, 'no route here takes every request, and Istio answers 404 to a request none matches: a last route deny: 404 is written');
    out.push({ deny: 404, from: httpPath });
  }
  return out;
}

/** Where a route sends requests: a deny, or subsets of this service; undefined (reported) when faultmesh cannot say it. */
function actionOf(service: string, route: HttpRouteIn, findings: Findings, ctx: RoutesContext): Pick<RouteOut, 'to' | 'deny' | 'toFrom'> | undefined {
  if (route.deny !== undefined) return { deny: route.deny };
  if (!route.routable) return undefined;
  const to: Array<{ labels: Readonly<Record<string, string>>; weight?: number }> = [];
  const toFrom: Array<{ path: Path; subset?: string }> = [];
  for (const d of route.destinations) {
    const s = serviceOfHost(d.host, ctx.hosts);
    if (!s.ok) return void findings.untranslated([...d.path, 'host'], `${s.message}; this route is left out`);
    if (s.service !== service) {
      return void findings.untranslated([...d.path, 'host'], `a faultmesh route chooses among the instances of the service called (${service}), so it cannot send to ${s.service}; this route is left out of ${service} (callers can call ${s.service} directly)`);
    }
    const labels = d.subset === undefined ? {} : ctx.subsets(service, d.subset);
    if (!labels) return void findings.untranslated([...d.path, 'subset'], `no DestinationRule given defines subset "${d.subset}" of ${service}; this route is left out (import the DestinationRule too)`);
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
function routeMatches(route: HttpRouteIn, findings: Findings): Array<RouteOut['match'] | undefined> {
  const out: Array<NonNullable<RouteOut['match']>> = [];
  for (const { match, path } of route.matches.blocks) {
    if (match.sources) {
      findings.untranslated([...path, 'sourceLabels'], 'a faultmesh route cannot match its caller (a fault rule can: its sources); this match block is left out of the routes', true);
      continue;
    }
    const m = routeMatch(match);
    const twin = out.find((o) => o.path === m.path && JSON.stringify(o.headers ?? null) === JSON.stringify(m.headers ?? null) && o.method !== undefined && m.method !== undefined);
    if (twin) (twin as { method?: string | readonly string[] }).method = [...new Set([...[twin.method!].flat(), ...[m.method!].flat()])];
    else out.push(m);
  }
  return out.map((m) => (Object.keys(m).length ? m : undefined));
}

function routeMatch(m: MatchOut): NonNullable<RouteOut['match']> {
  return {
    ...(m.methods ? { method: m.methods.length === 1 ? m.methods[0]! : [...m.methods] } : {}),
    ...(m.path ? { path: m.path } : {}),
    ...(m.headers ? { headers: m.headers } : {}),
  };
}
