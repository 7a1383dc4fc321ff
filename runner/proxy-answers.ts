import { callAdmin, isOk, type AdminReply } from '../proxy/admin/admin-client.js';
import type { FaultRuleSpec } from '../proxy/faults/fault-rule-schema.js';
import type { LossCause } from './journal.js';

// What the fault ledger asks a proxy, and what the answers mean for a fault it holds.

/** A rule as an experiment gives it: no ttl, since the ledger's lease stands in for one. */
export type RunnerRule = Omit<FaultRuleSpec, 'ttl'>;

/** What a proxy's /healthz says; `startedAt` changes when it restarts (and a restart drops every fault). */
export interface ProxyHealth {
  readonly startedAt?: string | undefined;
  readonly halted?: boolean;
  /** 'control' for a control plane, which speaks the admin API for every proxy and holds a run's lease. */
  readonly role?: string | undefined;
}

export async function healthOf(admin: string, token: string | undefined): Promise<ProxyHealth> {
  const r = await callAdmin(admin, 'GET', '/healthz', token);
  if (!isOk(r)) return {};
  return { startedAt: typeof r.body.startedAt === 'string' ? r.body.startedAt : undefined, halted: r.body.halted === true, role: typeof r.body.role === 'string' ? r.body.role : undefined };
}

/**
 * Why a proxy no longer holds a fault, or undefined when it may still: a new
 * start time means it restarted (even if the fault was put back since, it had
 * a gap); otherwise a 404 or 409 (`gone`) means a halt, or a lease that ran out.
 */
export function lossCause(seenStart: string | undefined, now: ProxyHealth, gone: boolean): LossCause | undefined {
  if (seenStart && now.startedAt && now.startedAt !== seenStart) return 'proxy restarted';
  if (!gone) return undefined;
  return now.halted ? 'proxy halted' : 'lease missed';
}

/** The cause when renewals kept failing until the lease surely ran out: the proxy dropped the fault then, or is gone itself. */
export const leaseRanOut = (failed: AdminReply): LossCause => (failed.status === 0 ? 'lease ran out while the proxy was unreachable' : 'lease ran out while renewals failed');

export type Counts = { matched: number; hit: number };
/** Counts as read from a proxy, with when. */
export type ReadCounts = Counts & { readonly at: number };

/** The counts a proxy reports for each fault it holds, by id (one request per proxy and round, whatever the number of faults). */
export async function countsOf(admin: string, token: string | undefined, now: () => number): Promise<ReadonlyMap<string, ReadCounts> | undefined> {
  const r = await callAdmin(admin, 'GET', '/v1/faults', token);
  const at = now();
  // Undefined, not empty, when the list could not be read: absence from it then says nothing.
  if (!isOk(r) || !Array.isArray(r.body.faults)) return undefined;
  const faults = r.body.faults as Array<{ id?: unknown; counts?: Partial<Counts> }>;
  return new Map(faults.map((f) => [String(f.id), { matched: f.counts?.matched ?? 0, hit: f.counts?.hit ?? 0, at }]));
}

/** The rule as a control plane takes it when it hangs on the run's lease there: `lease` in place of `ttl`. */
export function onLease(wire: Record<string, unknown>, lease: string): Record<string, unknown> {
  const { ttl: _ttl, ...rest } = wire;
  return { ...rest, lease };
}

/** The rule as the admin API takes it: the runner's id and lease in place of the file's. */
export function wireRule(rule: RunnerRule, id: string, leaseMs: number): Record<string, unknown> {
  const { delay, ...rest } = rule;
  const wire: Record<string, unknown> = { ...rest, id, ttl: `${leaseMs}ms` };
  // The schema parsed the delay into a tagged form; the API takes it as written.
  if (delay) wire.delay = delay.form === 'fixed' ? { fixed: `${delay.ms}ms` } : delay.form === 'uniform' ? { min: `${delay.minMs}ms`, max: `${delay.maxMs}ms` } : { mean: `${delay.meanMs}ms`, stddev: `${delay.stddevMs}ms` };
  return wire;
}
