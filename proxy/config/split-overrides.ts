/** What an override changes in a mesh: the subsets of one route of one service. */
export interface SplitOverride {
  readonly service: string;
  readonly route: number;
  readonly to: ReadonlyArray<{ readonly labels: Readonly<Record<string, string>>; readonly weight: number }>;
}

type Data = Record<string, unknown>;
const isObject = (v: unknown): v is Data => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Puts each override's subsets in place of its route's `to`, in place, in a
 * mesh's `services`: the YAML data of a mesh text before it is validated
 * (the control plane's merge), or a validated mesh's clone (a proxy's own
 * overrides, file mode). Both have the same shape where it matters, so one
 * function serves both. Only a route that splits traffic (has `to`) has
 * weights to override; an override of any other route, or of a route or
 * service that is not there, is skipped: whoever took it checked it then.
 */
export function applySplitOverrides(services: unknown, overrides: readonly SplitOverride[]): void {
  if (!isObject(services)) return;
  for (const o of overrides) {
    const service = services[o.service];
    const routes = isObject(service) ? service.routes : undefined;
    const route = Array.isArray(routes) ? (routes[o.route] as unknown) : undefined;
    if (isObject(route) && Array.isArray(route.to)) route.to = o.to.map((s) => ({ labels: { ...s.labels }, weight: s.weight }));
  }
}
