import { callAdmin, describeFailure, isOk } from '../proxy/admin/admin-client.js';
import { formatDuration } from '../proxy/config/duration.js';
import type { FaultRuleSpec } from '../proxy/faults/fault-rule-schema.js';
import type { RunEvents } from './events.js';
import type { FaultRecord } from './journal.js';

/** A rule as an experiment gives it: no ttl, since the ledger's lease stands in for one. */
export type RunnerRule = Omit<FaultRuleSpec, 'ttl'>;

export interface FaultLedgerOptions {
  readonly runId: string;
  /** The lease each rule is held under; a runner that dies stops renewing and the proxies drop its faults. */
  readonly leaseMs: number;
  readonly token: string | undefined;
  readonly events: RunEvents;
  readonly now: () => number;
}

/** The rule as the admin API takes it: the runner's id and lease in place of the file's. */
function wireRule(rule: RunnerRule, id: string, leaseMs: number): Record<string, unknown> {
  const { delay, ...rest } = rule;
  const wire: Record<string, unknown> = { ...rest, id, ttl: `${leaseMs}ms` };
  // The schema parsed the delay into a tagged form; the API takes it as written.
  if (delay) wire.delay = delay.form === 'fixed' ? { fixed: `${delay.ms}ms` } : delay.form === 'uniform' ? { min: `${delay.minMs}ms`, max: `${delay.maxMs}ms` } : { mean: `${delay.meanMs}ms`, stddev: `${delay.stddevMs}ms` };
  return wire;
}

/**
 * Every fault this run injected, held under short leases that are renewed
 * while the run needs them. Whatever ends the run, `releaseAll` removes what
 * is still held; if the process dies instead, the leases run out by themselves.
 */
export class FaultLedger {
  readonly records: FaultRecord[] = [];
  private readonly held = new Set<FaultRecord>();
  /** Each fault's admin token, kept out of the record (and so out of the journal). */
  private readonly tokens = new Map<FaultRecord, string | undefined>();
  private readonly renewer: NodeJS.Timeout;
  private sequence = 0;
  /** A renewal round still waiting on a slow proxy: the next tick skips rather than piling up requests. */
  private renewing = false;

  constructor(private readonly options: FaultLedgerOptions) {
    this.renewer = setInterval(() => {
      if (this.renewing) return;
      this.renewing = true;
      void this.renewAll().finally(() => (this.renewing = false));
    }, Math.max(100, options.leaseMs / 3));
    this.renewer.unref();
  }

  /**
   * Adds `rule` on every proxy in `admins`, or on none: if any proxy refuses,
   * the ones that took it are asked to remove it again, and this throws.
   */
  async inject(activity: string, admins: readonly string[], rule: RunnerRule, tokenOverride?: string): Promise<FaultRecord> {
    const token = tokenOverride ?? this.options.token;
    const base = (rule.id ?? activity.replace(/[^A-Za-z0-9-_.]+/g, '-').replace(/^[-_.]+|[-_.]+$/g, '')).slice(0, 60) || 'fault';
    const id = `${base}-${this.options.runId}-${++this.sequence}`;
    const body = wireRule(rule, id, this.options.leaseMs);
    const replies = await Promise.all(admins.map((admin) => callAdmin(admin, 'POST', '/v1/faults', token, body)));
    const refused = replies.filter((r) => !isOk(r));
    if (refused.length) {
      await Promise.all(replies.filter(isOk).map((r) => callAdmin(r.admin, 'DELETE', `/v1/faults/${id}`, token)));
      throw new Error(`fault not injected (rolled back where it was added): ${refused.map(describeFailure).join('; ')}`);
    }
    const record: FaultRecord = { id, activity, rule: body, admins: [...admins], injectedAt: new Date(this.options.now()).toISOString(), state: 'held', errors: [] };
    this.tokens.set(record, token);
    this.records.push(record);
    this.held.add(record);
    this.options.events.faultInjected?.(record);
    return record;
  }

  /** Removes one fault from every proxy it is on, after reading what it did there. Safe to call twice. */
  async release(record: FaultRecord): Promise<void> {
    if (!this.held.delete(record)) return;
    const token = this.tokens.get(record);
    const path = `/v1/faults/${encodeURIComponent(record.id)}`;
    const counts = { matched: 0, hit: 0 };
    await Promise.all(
      record.admins.map(async (admin) => {
        const seen = await callAdmin(admin, 'GET', path, token);
        const c = seen.body.counts as { matched?: number; hit?: number } | undefined;
        if (isOk(seen) && c) {
          counts.matched += c.matched ?? 0;
          counts.hit += c.hit ?? 0;
        }
        const gone = await callAdmin(admin, 'DELETE', path, token);
        // 404: the lease ran out or the proxy was halted; either way it is not there.
        if (!isOk(gone) && gone.status !== 404) record.errors.push(`could not remove from ${describeFailure(gone)}; its ${formatDuration(this.options.leaseMs)} lease ends it`);
      }),
    );
    this.end(record, record.state === 'lost' ? 'lost' : 'removed', counts);
  }

  /** Removes every fault still held. The revert: called whatever ended the run. */
  async releaseAll(): Promise<void> {
    clearInterval(this.renewer);
    await Promise.all([...this.held].map((r) => this.release(r)));
  }

  get active(): number {
    return this.held.size;
  }

  private end(record: FaultRecord, state: 'removed' | 'lost', counts?: { matched: number; hit: number }): void {
    const now = this.options.now();
    record.state = state;
    record.removedAt = new Date(now).toISOString();
    record.heldMs = now - Date.parse(record.injectedAt);
    if (counts) record.counts = counts;
    this.options.events.faultEnded?.(record);
  }

  /** Renews every held fault on every proxy at once, so one slow proxy delays no other fault's lease. */
  private async renewAll(): Promise<void> {
    await Promise.all([...this.held].map((record) => this.renew(record)));
  }

  private async renew(record: FaultRecord): Promise<void> {
    const token = this.tokens.get(record);
    const replies = await Promise.all(record.admins.map((admin) => callAdmin(admin, 'POST', `/v1/faults/${encodeURIComponent(record.id)}/renew`, token, { ttl: `${this.options.leaseMs}ms` })));
    if (!this.held.has(record)) return;
    const gone = replies.filter((r) => r.status === 404 || r.status === 409);
    for (const r of replies.filter((x) => !isOk(x) && !gone.includes(x))) record.errors.push(`renew failed on ${describeFailure(r)}`);
    if (gone.length) {
      // A proxy dropped it (halted, restarted, lease missed): not re-added, since a halt must stick.
      record.errors.push(...gone.map((r) => `dropped by ${r.admin}: ${describeFailure(r)}`));
      record.state = 'lost';
    }
  }
}
