import type { AdminDeps } from '../../proxy/admin/admin-app.js';
import { describeService } from '../../proxy/admin/instance-state.js';
import type { DashboardState, FaultView, Health, ProxyView } from './dashboard-model.js';
import { actionPhrase, matchPhrase } from './describe-fault.js';

/** What one proxy's page is made of: the admin API's own reads. */
export type ProxyUiDeps = Pick<AdminDeps, 'state' | 'now' | 'identity' | 'token' | 'faults' | 'control' | 'forwarder'> & {
  /** The proxy's name on the page (its admin URL is not known before it listens). */
  readonly title?: string | undefined;
};

/**
 * One proxy's dashboard state: the services and instances as its outlier
 * detection sees them, the rules in force here with their counts, and its
 * control-plane connection. Runs and other proxies are the control plane's
 * to show; the page says so.
 */
export function buildProxyState(deps: ProxyUiDeps): DashboardState {
  const now = deps.now();
  const store = deps.faults.store;
  const control = deps.control?.();
  const managedBy = deps.faults.owner.kind === 'control' ? deps.faults.owner.url() : undefined;
  const me = deps.identity.service ? `${deps.identity.service} proxy` : 'proxy';
  const faults: FaultView[] = store.list().map((rule) => ({
    id: rule.id,
    target: rule.spec.target,
    match: matchPhrase(rule.spec as unknown as Record<string, unknown>),
    action: actionPhrase(rule.spec as unknown as Record<string, unknown>),
    percentage: rule.spec.percentage,
    phase: rule.spec.phase,
    ...(rule.spec.origin ? { origin: rule.spec.origin } : {}),
    endsAt: rule.expiresAt,
    holder: { kind: 'ttl' },
    proxies: ['this proxy'],
    missingOn: [],
    counts: { matched: rule.counters.matched, hit: rule.counters.hit },
  }));
  const services = [...deps.state.table().services.values()].map((s) => {
    const d = describeService(s, now, deps.forwarder);
    return {
      name: d.name,
      instances: d.instances.map((i) => ({
        id: i.id,
        address: i.address,
        region: i.region ?? undefined,
        zone: i.zone ?? undefined,
        source: 'mesh' as const,
        health: i.health as Health,
        ...(i.ejectedUntil ? { ejectedUntil: Date.parse(i.ejectedUntil) } : {}),
        seenBy: 1,
        unhealthyOn: i.health === 'healthy' ? [] : ['this proxy'],
      })),
    };
  });
  const haltedLocally = 'haltedLocally' in store && (store as { haltedLocally?: boolean }).haltedLocally === true;
  const notReady = deps.state.snapshot === undefined ? deps.state.notReadyReason() : undefined;
  const proxies: ProxyView[] = control
    ? [{
        id: 'this proxy',
        service: deps.identity.service ?? '',
        place: [deps.identity.region, deps.identity.zone].filter(Boolean).join(' / '),
        connected: control.connected,
        applied: control.version,
        behindBy: 0,
        halted: store.halted,
        ...(control.connected ? {} : { problem: `not connected to the control plane${control.lastError ? `: ${control.lastError}` : ''}` }),
        ...(control.since ? { since: control.since } : {}),
      }]
    : [];
  const summary = notReady
    ? `not ready: ${notReady}`
    : `${me}: mesh version ${deps.state.snapshot?.version ?? 0}, ${faults.length} fault${faults.length === 1 ? '' : 's'} in force${control ? `, control plane ${control.connected ? 'connected' : 'not connected'}` : ''}`;
  return {
    scope: 'proxy',
    title: deps.title ?? me,
    now,
    meshVersion: deps.state.snapshot?.version,
    halted: store.halted,
    // On a managed proxy a halt is the control plane's unless it was made here (the local emergency stop); alone, it is always this admin API's.
    ...(store.halted ? { haltedBy: managedBy !== undefined && !haltedLocally ? `the control plane at ${managedBy}` : "this proxy's own admin API (POST /v1/resume here lifts it)" } : {}),
    tokenRequired: deps.token !== undefined,
    actions: { halt: true, removeFault: managedBy === undefined, ...(managedBy ? { managedBy } : {}) },
    summary,
    discrepancies: proxies.flatMap((p) => (p.problem ? [p.problem] : [])),
    services,
    faults,
    proxies,
    runs: [],
    notes: ['one proxy: its own traffic, instances and faults. Runs, the other proxies and the mesh-wide view are on the control plane\u2019s /ui'],
  };
}
