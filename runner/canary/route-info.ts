import { callAdmin, describeFailure, isOk, type AdminReply } from '../../proxy/admin/admin-client.js';
import { ConfigError } from '../../proxy/config/config-error.js';
import { parseMeshAwaitingInstances } from '../../proxy/config/load-mesh.js';
import { hasLabels } from '../../proxy/config/mesh-schema.js';

export type Labels = Readonly<Record<string, string>>;

/** Where the weights go and the measurements come from: one control plane, or each proxy's admin API. */
export type CanaryTarget = { readonly kind: 'control'; readonly url: string; readonly token: string | undefined } | { readonly kind: 'admins'; readonly urls: readonly string[]; readonly token: string | undefined };

/** A route's split as the mesh holds it now. */
export interface RouteSplit {
  readonly index: number;
  readonly to: ReadonlyArray<{ readonly labels: Labels; readonly weight: number }>;
  /** The control plane's mesh version and text (absent for admins), for the promotion. */
  readonly mesh?: { readonly version: number; readonly text: string; readonly file: string };
  /** Labels of every instance of the service known now (mesh and registrations). */
  readonly instanceLabels: readonly Labels[];
}

/** The canary file does not fit the mesh it runs against: invalid input (exit 2), said in full. */
export class CanaryInputError extends Error {
  override readonly name = 'CanaryInputError';
}

/** The control plane or a proxy could not be asked, or the route is taken: a runtime failure (exit 1). */
export class CanaryRuntimeError extends Error {
  override readonly name = 'CanaryRuntimeError';
}

export const sameLabels = (a: Labels, b: Labels) => hasLabels(a, b) && hasLabels(b, a);
export const labelText = (l: Labels) => `{${Object.entries(l).map(([k, v]) => `${k}: ${v}`).join(', ')}}`;

const answered = (r: AdminReply, what: string): Record<string, unknown> => {
  if (!isOk(r)) throw new CanaryRuntimeError(`cannot read ${what}: ${describeFailure(r)}`);
  return r.body;
};

export interface RawRoute {
  readonly index: number;
  readonly to?: ReadonlyArray<{ readonly labels: Labels; readonly weight?: number }>;
}

/**
 * Reads the service's routes where the canary runs, picks the route to
 * drive (the one named, or the service's only splitting route), and checks
 * that it splits between exactly the file's stable and canary subsets, with
 * the canary at weight 0: a rollback gives the route back the mesh's
 * weights, so those must be "all on stable" for a rollback to mean one.
 */
export async function readRouteSplit(target: CanaryTarget, service: string, route: number | undefined, stable: Labels, canary: Labels): Promise<RouteSplit> {
  const [{ routes, mesh, instanceLabels }, taken] = await Promise.all([readRoutes(target, service), overridesOn(target, service)]);
  const splitting = routes.filter((r) => r.to && r.to.length >= 2);
  let chosen: RawRoute | undefined;
  if (route !== undefined) {
    chosen = routes.find((r) => r.index === route);
    if (!chosen?.to || chosen.to.length < 2) throw new CanaryInputError(`route ${route} of "${service}" does not split traffic (it needs "to" with the stable and canary subsets); the service's splitting routes: ${splitting.map((r) => r.index).join(', ') || 'none'}`);
  } else {
    if (splitting.length === 0) throw new CanaryInputError(`"${service}" has no route that splits traffic: add one to the mesh, e.g. - to: [{ labels: ${labelText(stable)}, weight: 100 }, { labels: ${labelText(canary)}, weight: 0 }]`);
    if (splitting.length > 1) throw new CanaryInputError(`"${service}" has ${splitting.length} routes that split traffic (${splitting.map((r) => r.index).join(', ')}): name one with "route:" in the canary file`);
    chosen = splitting[0]!;
  }
  const held = taken.find((o) => o.route === chosen.index);
  // Two canaries on one route would overwrite each other's weights, and each one's rollback would undo the other's.
  if (held) throw new CanaryRuntimeError(`route ${chosen.index} of "${service}" already has a weight override${held.by ? ` by ${held.by}` : ''} (${Math.ceil(held.remainingMs / 1000)} s left${held.where ? ` on ${held.where}` : ''}): wait for it to end, or end it (${held.by?.startsWith('canary:') ? `faultmesh canary abort ${held.by.slice('canary:'.length)}` : 'faultmesh canary abort NAME, naming the canary that holds it'})`);
  const to = chosen.to!.map((s) => ({ labels: s.labels, weight: s.weight ?? 1 }));
  const where = `route ${chosen.index} of "${service}" splits over ${to.map((s) => `${labelText(s.labels)} (weight ${s.weight})`).join(', ')}`;
  const stableAt = to.find((s) => sameLabels(s.labels, stable));
  const canaryAt = to.find((s) => sameLabels(s.labels, canary));
  if (!stableAt) throw new CanaryInputError(`${where}: none is the stable subset ${labelText(stable)}`);
  if (!canaryAt) throw new CanaryInputError(`${where}: none is the canary subset ${labelText(canary)}; add it with weight 0`);
  if (canaryAt.weight > 0) throw new CanaryInputError(`${where}: the mesh already sends the canary traffic; set its weight to 0 so that a rollback returns all traffic to stable`);
  const others = to.filter((s) => s !== stableAt && s !== canaryAt && s.weight > 0);
  if (others.length) throw new CanaryInputError(`${where}: a canary route splits between stable and canary only, but ${others.map((s) => labelText(s.labels)).join(', ')} also get traffic`);
  if (!instanceLabels.some((l) => hasLabels(l, canary))) throw new CanaryInputError(`no instance of "${service}" has the canary's labels ${labelText(canary)}: start and register the new version first`);
  if (!instanceLabels.some((l) => hasLabels(l, stable))) throw new CanaryInputError(`no instance of "${service}" has the stable labels ${labelText(stable)}`);
  return { index: chosen.index, to, ...(mesh ? { mesh } : {}), instanceLabels };
}

/** The weight overrides in force on the service's routes, wherever the canary would put its own. */
async function overridesOn(target: CanaryTarget, service: string): Promise<Array<{ route: number; by?: string; remainingMs: number; where?: string }>> {
  const urls = target.kind === 'control' ? [target.url] : target.urls;
  const replies = await Promise.all(urls.map((url) => callAdmin(url, 'GET', '/v1/overrides', target.token)));
  return replies.flatMap((r) => ((answered(r, `overrides from ${r.admin}`).overrides ?? []) as Array<{ service: string; route: number; by?: string; remainingMs: number }>).filter((o) => o.service === service).map((o) => ({ ...o, where: r.admin })));
}

/** The service's routes as the control plane's mesh text (or every proxy, which must agree) has them now. */
export function readRoutes(target: CanaryTarget, service: string): Promise<{ routes: RawRoute[]; mesh?: RouteSplit['mesh']; instanceLabels: Labels[] }> {
  return target.kind === 'control' ? fromControl(target, service) : fromAdmins(target, service);
}

async function fromControl(target: Extract<CanaryTarget, { kind: 'control' }>, service: string) {
  const [meshReply, regReply] = await Promise.all([callAdmin(target.url, 'GET', '/v1/mesh', target.token), callAdmin(target.url, 'GET', '/v1/registrations', target.token)]);
  const body = answered(meshReply, `the mesh from ${target.url}`);
  const text = String(body.text ?? '');
  const file = String(body.file ?? 'mesh.yaml');
  let parsed;
  try {
    parsed = parseMeshAwaitingInstances(text, file).mesh;
  } catch (err) {
    if (err instanceof ConfigError) throw new CanaryRuntimeError(`the control plane's mesh does not parse: ${err.message}`);
    throw err;
  }
  const svc = parsed.services[service];
  if (!svc) throw new CanaryInputError(`the control plane's mesh has no service "${service}"`);
  const registrations = (answered(regReply, `registrations from ${target.url}`).registrations ?? []) as Array<{ service: string; labels?: Labels }>;
  const instanceLabels = [...svc.instances.map((i) => i.labels), ...registrations.filter((r) => r.service === service).map((r) => r.labels ?? {})];
  const routes: RawRoute[] = svc.routes.map((r, index) => ({ index, ...(r.to ? { to: r.to.map((s) => ({ labels: s.labels, ...(s.weight === undefined ? {} : { weight: s.weight }) })) } : {}) }));
  return { routes, mesh: { version: Number(body.version), text, file }, instanceLabels };
}

interface DescribedRoute {
  readonly index: number;
  readonly to?: ReadonlyArray<{ readonly labels: Labels; readonly weight: number; readonly instances: readonly string[] }>;
}

async function fromAdmins(target: Extract<CanaryTarget, { kind: 'admins' }>, service: string) {
  const replies = await Promise.all(target.urls.map((url) => callAdmin(url, 'GET', '/v1/routes', target.token)));
  const views = replies.map((r) => {
    const services = (answered(r, `routes from ${r.admin}`).services ?? []) as Array<{ service: string; routes: DescribedRoute[] }>;
    const svc = services.find((s) => s.service === service);
    if (!svc) throw new CanaryInputError(`the proxy at ${r.admin} has no service "${service}" in its mesh`);
    return svc.routes;
  });
  // Every proxy must run the same split, or the weights the canary sets would mean different things on each.
  const first = JSON.stringify(views[0]!.map((r) => r.to?.map((s) => [s.labels, s.weight])));
  const differs = views.findIndex((v) => JSON.stringify(v.map((r) => r.to?.map((s) => [s.labels, s.weight]))) !== first);
  if (differs > 0) throw new CanaryInputError(`the proxies disagree on "${service}"'s routes (${target.urls[0]} and ${target.urls[differs]}): give them the same mesh first`);
  const routes: RawRoute[] = views[0]!.map((r) => ({ index: r.index, ...(r.to ? { to: r.to.map((s) => ({ labels: s.labels, weight: s.weight })) } : {}) }));
  // The routes list each subset's instances; a subset with members has instances with (at least) its labels.
  const instanceLabels = views[0]!.flatMap((r) => (r.to ?? []).filter((s) => s.instances.length > 0).map((s) => s.labels));
  return { routes, instanceLabels };
}
