import type { ControlContext } from '../api/context.js';
import type { ObservedProxy } from '../push/observed-proxies.js';
import { buildStatus, type ProxyStatus, type Status } from '../status/status.js';
import type { DashboardState, FaultView, Health, Holder, InstanceView, ProxyView, RunView } from './dashboard-model.js';
import { actionPhrase, matchPhrase } from './describe-fault.js';
import { listRuns } from './run-routes.js';
import type { RunValue } from './run-schema.js';

const RANK: Record<Health, number> = { unknown: 0, healthy: 1, probation: 2, ejected: 3 };

/**
 * The control plane's dashboard state: `faultmesh status` (desired against
 * observed), each fault with its rule, lease, holder and counts, and the
 * runs, registered or inferred from the leases and overrides they hold.
 */
export async function buildControlState(ctx: ControlContext, opts: { readonly tokenRequired: boolean; readonly title: string }): Promise<DashboardState> {
  const now = ctx.now();
  // One read of every proxy for the whole state, so status and counts agree.
  const observed = await ctx.everyProxy();
  const status = await buildStatus({ ...ctx, everyProxy: async () => observed });
  const d = ctx.desired.current;
  const runs = await listRuns(ctx).catch(() => [] as Array<RunValue & { lease?: string | undefined }>);
  const holderOf = holders(runs);
  const applied = new Map(status.faults.map((f) => [f.id, f]));
  const faults: FaultView[] = d.faults
    .filter((f) => f.endsAt > now)
    .map((f) => {
      const spec = f.value.spec;
      const counts = { matched: 0, hit: 0 };
      for (const p of observed) {
        const c = p.faults[f.id];
        if (c) {
          counts.matched += c.matched;
          counts.hit += c.hit;
        }
      }
      return {
        id: f.id,
        target: spec.target,
        match: matchPhrase(spec),
        action: actionPhrase(spec),
        percentage: typeof spec.percentage === 'number' ? spec.percentage : 100,
        phase: typeof spec.phase === 'string' ? spec.phase : 'request',
        ...(typeof spec.origin === 'string' ? { origin: spec.origin } : {}),
        endsAt: f.endsAt,
        holder: f.value.ownLease || f.lease === undefined ? { kind: 'ttl' } : holderOf(f.id, f.lease),
        proxies: applied.get(f.id)?.appliedBy ?? [],
        missingOn: applied.get(f.id)?.missingOn ?? [],
        counts,
      };
    });
  return {
    scope: 'mesh',
    title: opts.title,
    now,
    version: status.version,
    meshVersion: status.meshVersion,
    halted: status.halted,
    ...(d.halt ? { haltedBy: `${d.halt.by} at ${d.halt.at}` } : {}),
    tokenRequired: opts.tokenRequired,
    actions: { halt: true, removeFault: true },
    summary: status.summary,
    discrepancies: status.discrepancies,
    services: services(status, observed, now),
    faults,
    proxies: status.proxies.map(proxyView),
    runs: runViews(runs, faults, status),
    notes: runs.length === 0 && faults.some((f) => f.holder.kind === 'lease') ? ['a run holds faults without registering (PUT /v1/runs): it is listed by its lease, its name and probes are not known here'] : [],
  };
}

/** Who holds the faults on `lease`: the registered run on that lease, or that lists the fault. */
function holders(runs: ReadonlyArray<RunValue & { lease?: string | undefined }>): (fault: string, lease: string) => Holder {
  return (fault, lease) => {
    const run = runs.find((r) => r.faults.includes(fault)) ?? runs.find((r) => r.lease === lease && !r.ownLease);
    return run ? { kind: 'run', lease, run: run.name, runKind: run.kind } : { kind: 'lease', lease };
  };
}

function services(status: Status, observed: readonly ObservedProxy[], now: number): DashboardState['services'] {
  const until = new Map<string, number>();
  for (const p of observed) {
    for (const i of p.instances) {
      const t = i.ejectedUntil === undefined ? NaN : Date.parse(i.ejectedUntil);
      if (Number.isFinite(t)) until.set(`${i.service}/${i.id}`, Math.max(until.get(`${i.service}/${i.id}`) ?? 0, t));
    }
  }
  return status.services.map((s) => ({
    name: s.name,
    instances: s.instances.map((i): InstanceView => {
      const states = Object.entries(i.health);
      let health: Health = 'unknown';
      for (const [, state] of states) if (RANK[state] > RANK[health]) health = state;
      return {
        id: i.id,
        address: i.address,
        region: i.region,
        zone: i.zone,
        source: i.source,
        // Rounded: a lease read a few ms apart is the same lease, and an unchanged state is not sent again.
        ...(i.leaseRemainingMs === undefined ? {} : { leaseEndsAt: Math.round((now + i.leaseRemainingMs) / 500) * 500 }),
        health,
        ...(health === 'ejected' && until.has(`${s.name}/${i.id}`) ? { ejectedUntil: until.get(`${s.name}/${i.id}`) } : {}),
        seenBy: states.length,
        unhealthyOn: states.filter(([, state]) => state !== 'healthy').map(([p]) => p),
      };
    }),
  }));
}

function proxyView(p: ProxyStatus): ProxyView {
  const problem = !p.connected
    ? `disconnected${p.disconnectedAt ? ` since ${p.disconnectedAt}` : ''}`
    : p.lastRejection && p.lastRejection.version > p.applied
      ? `rejected version ${p.lastRejection.version}: ${p.lastRejection.reason}`
      : p.behindBy > 0
        ? `${p.behindBy} version${p.behindBy === 1 ? '' : 's'} behind${p.behindSinceMs === undefined ? '' : ` for ${Math.round(p.behindSinceMs / 1000)} s`}`
        : undefined;
  return {
    id: p.id,
    service: p.service,
    place: [p.region, p.zone].filter(Boolean).join(' / '),
    connected: p.connected,
    applied: p.applied,
    behindBy: p.behindBy,
    halted: p.halted,
    ...(problem ? { problem } : {}),
    ...(p.connectedSince ? { since: p.connectedSince } : {}),
  };
}

const split = (to: ReadonlyArray<{ labels: Readonly<Record<string, string>>; weight: number }>) =>
  to.map((s) => `${Object.entries(s.labels).map(([k, v]) => `${k}=${v}`).join(',') || 'all'} ${s.weight}`).join(', ');

const probeValue = (v: unknown) => (v === null ? '–' : typeof v === 'string' ? v : JSON.stringify(v));

/**
 * Registered runs first; then what can be inferred without them: a
 * canary from its route override (`by: canary:NAME`) with the split it
 * holds, and a run that did not register from the lease its faults share.
 */
function runViews(runs: ReadonlyArray<RunValue & { lease?: string | undefined }>, faults: readonly FaultView[], status: Status): RunView[] {
  const out: RunView[] = runs
    .map((r) => {
      const override = r.kind === 'canary' ? status.overrides.find((o) => o.by === `canary:${r.name}`) : undefined;
      return {
        key: `run:${r.id}`,
        kind: r.kind,
        name: r.gameday ? `${r.gameday} / ${r.name}` : r.name,
        state: r.state,
        phase: r.phase,
        ...(r.verdict ? { verdict: r.verdict } : {}),
        probes: r.probes.map((p) => ({ name: p.name, value: probeValue(p.value), tolerance: p.tolerance, ok: p.ok, when: p.when })),
        faults: faults.filter((f) => f.holder.kind === 'run' && (r.faults.includes(f.id) || f.holder.lease === r.lease)).map((f) => f.id),
        ...(override ? { weights: split(override.to) } : r.canary ? { weights: `${r.canary.service}: canary ${r.canary.weight}%` } : {}),
        ...(r.canary?.judgement ? { judgement: r.canary.judgement } : {}),
        ...(r.report ? { report: r.report } : {}),
        ...(r.startedAt ? { startedAt: r.startedAt } : {}),
        known: 'registered' as const,
      };
    })
    .sort((a, b) => (a.state === b.state ? (b.startedAt ?? '').localeCompare(a.startedAt ?? '') : a.state === 'running' ? -1 : 1));
  const registered = new Set(runs.map((r) => `canary:${r.name}`));
  for (const o of status.overrides) {
    if (!o.by?.startsWith('canary:') || registered.has(o.by)) continue;
    out.push({ key: `override:${o.service}/${o.route}`, kind: 'canary', name: o.by.slice('canary:'.length), state: 'running', phase: `weights on ${o.service} route ${o.route}`, probes: [], faults: [], weights: split(o.to), known: 'override' });
  }
  const byLease = new Map<string, string[]>();
  for (const f of faults) if (f.holder.kind === 'lease') byLease.set(f.holder.lease, [...(byLease.get(f.holder.lease) ?? []), f.id]);
  for (const [lease, ids] of byLease) {
    out.push({ key: `lease:${lease}`, kind: 'unregistered', name: `a run on lease ${lease}`, state: 'running', phase: 'holding faults', probes: [], faults: ids, known: 'lease' });
  }
  return out;
}
