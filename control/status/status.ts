import type { Desired, DesiredState } from '../push/desired-state.js';
import type { Counts, InstanceState, ObservedProxy } from '../push/observed-proxies.js';
import type { Subset } from '../keys.js';
import type { Store } from '../store/store.js';
import { parsedMesh } from '../api/mesh-view.js';
import { findDiscrepancies, summarize } from './discrepancies.js';

export interface ProxyStatus {
  readonly id: string;
  readonly service: string;
  readonly region?: string | undefined;
  readonly zone?: string | undefined;
  readonly admin?: string | undefined;
  /** The other replica it is connected to (shared store); absent for this replica's own. */
  readonly replica?: string;
  readonly connected: boolean;
  readonly connectedSince?: string;
  readonly disconnectedAt?: string;
  readonly applied: number;
  readonly behindBy: number;
  readonly behindSinceMs?: number;
  readonly lastRejection?: { readonly version: number; readonly reason: string; readonly at: string };
  readonly faults: Readonly<Record<string, Counts>>;
  readonly halted: boolean;
  readonly lastReportAt?: string;
  readonly lastChannelError?: { readonly reason: string; readonly at: string };
}

export interface FaultStatus {
  readonly id: string;
  readonly target: string;
  readonly remainingMs: number;
  readonly appliedBy: string[];
  readonly missingOn: string[];
}

/** A route override in force: the split proxies run instead of the mesh's until `remainingMs` runs out. */
export interface OverrideStatus {
  readonly service: string;
  readonly route: number;
  readonly to: readonly Subset[];
  readonly by?: string;
  readonly remainingMs: number;
}

export interface InstanceStatus {
  readonly id: string;
  readonly address: string;
  readonly region?: string | undefined;
  readonly zone?: string | undefined;
  readonly source: 'mesh' | 'registration';
  readonly leaseRemainingMs?: number;
  readonly health: Readonly<Record<string, InstanceState>>;
}

export interface Status {
  /** The control plane's version: the store revision, which every write moves (faults, registrations, the mesh). */
  readonly version: number;
  /** The applied mesh's own version, the one `mesh apply --expect-version` compares; absent without a mesh. */
  readonly meshVersion?: number;
  readonly halted: boolean;
  readonly summary: string;
  readonly discrepancies: string[];
  readonly proxies: ProxyStatus[];
  readonly services: Array<{ readonly name: string; readonly instances: InstanceStatus[] }>;
  readonly faults: FaultStatus[];
  readonly overrides: OverrideStatus[];
}

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

/**
 * GET /v1/status: the desired state (the latest version built from the
 * store) against what each proxy acknowledged and reported, with every
 * discrepancy in one summary line.
 */
export async function buildStatus(deps: { readonly desired: DesiredState; readonly everyProxy: () => Promise<readonly ObservedProxy[]>; readonly store: Store; readonly now: () => number }): Promise<Status> {
  const d = deps.desired.current;
  const now = deps.now();
  const observed = await deps.everyProxy();
  const proxies = observed.map((p) => proxyStatus(p, d, deps.desired, now));
  const connected = observed.filter((p) => p.connected);
  // A fault whose lease ended is gone on every proxy, even when the store could not say so yet (out of reach).
  const faults: FaultStatus[] = d.faults.filter((f) => f.endsAt > now).map((f) => ({
    id: f.id,
    target: f.value.spec.target,
    remainingMs: Math.max(0, f.endsAt - now),
    appliedBy: connected.filter((p) => p.applied >= f.modRevision).map((p) => p.id),
    missingOn: connected.filter((p) => p.applied < f.modRevision).map((p) => p.id),
  }));
  const faultAge = (id: string) => {
    const f = d.faults.find((x) => x.id === id);
    const built = f ? deps.desired.versionInfo(f.modRevision)?.builtAt : undefined;
    return built === undefined ? Infinity : now - built;
  };
  const discrepancies = findDiscrepancies(d.version, proxies, faults, faultAge);
  const meshVersion = d.mesh?.version;
  return {
    version: d.version,
    ...(meshVersion === undefined ? {} : { meshVersion }),
    halted: d.halt !== undefined,
    summary: summarize(d.version, proxies, discrepancies, meshVersion),
    discrepancies,
    proxies,
    services: await services(d, observed, deps.store),
    faults,
    overrides: d.overrides.map(({ value: v, endsAt }) => ({ service: v.service, route: v.route, to: v.to, ...(v.by === undefined ? {} : { by: v.by }), remainingMs: Math.max(0, endsAt - now) })),
  };
}

function proxyStatus(p: ObservedProxy, d: Desired, desired: DesiredState, now: number): ProxyStatus {
  const behindBy = Math.max(0, d.version - p.applied);
  // Behind since the first version it lacks was built, or since it connected if that came later.
  const firstMissing = behindBy > 0 ? desired.firstBuiltAfter(p.applied) : undefined;
  const since = firstMissing === undefined ? undefined : Math.max(firstMissing, p.connectedSince);
  return {
    id: p.id,
    service: p.service,
    region: p.region,
    zone: p.zone,
    admin: p.admin,
    ...(p.replica === undefined ? {} : { replica: p.replica }),
    connected: p.connected,
    ...(p.connected ? { connectedSince: iso(p.connectedSince)! } : { disconnectedAt: iso(p.disconnectedAt)! }),
    applied: p.applied,
    behindBy,
    ...(since === undefined ? {} : { behindSinceMs: now - since }),
    ...(p.lastRejection ? { lastRejection: { ...p.lastRejection, at: iso(p.lastRejection.at)! } } : {}),
    faults: p.faults,
    halted: desired.versionInfo(p.applied)?.halted ?? false,
    ...(p.lastReportAt === undefined ? {} : { lastReportAt: iso(p.lastReportAt)! }),
    ...(p.lastChannelError ? { lastChannelError: { ...p.lastChannelError, at: iso(p.lastChannelError.at)! } } : {}),
  };
}

async function services(d: Desired, observed: readonly ObservedProxy[], store: Store): Promise<Status['services']> {
  const byName = new Map<string, InstanceStatus[]>();
  const health = (service: string, id: string) => {
    const out: Record<string, InstanceState> = {};
    for (const p of observed) for (const i of p.instances) if (i.service === service && i.id === id) out[p.id] = i.state;
    return out;
  };
  const mesh = parsedMesh(d.mesh);
  for (const [name, s] of Object.entries(mesh?.services ?? {})) {
    byName.set(name, s.instances.map((i) => ({ id: i.id, address: i.address.text, region: i.region, zone: i.zone, source: 'mesh' as const, health: health(name, i.id) })));
  }
  for (const r of d.registrations) {
    const left = r.lease === undefined ? undefined : await store.leaseTtl(r.lease);
    const list = byName.get(r.value.service) ?? [];
    // Same id as a static instance: the registration wins, as it does on the proxies.
    const rest = list.filter((i) => i.id !== r.value.id);
    rest.push({ id: r.value.id, address: r.value.address, region: r.value.region, zone: r.value.zone, source: 'registration', ...(left === undefined ? {} : { leaseRemainingMs: left }), health: health(r.value.service, r.value.id) });
    byName.set(r.value.service, rest);
  }
  return [...byName].map(([name, instances]) => ({ name, instances }));
}
