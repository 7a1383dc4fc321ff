import { describeResult } from './activity.js';
import { describeRule } from './describe.js';
import type { Activity } from './experiment/activity-schema.js';
import type { ActivityRecord, FaultRecord, Journal, Section } from './journal.js';
import { PHASES } from './progress-lines.js';

interface LiveFault {
  readonly rule: string;
  /** When its window ends, on the run's clock; unknown for a fault no activity announced (a rollback's). */
  readonly endsAt: number | undefined;
  counts?: { readonly matched: number; readonly hit: number };
}

interface LastValue {
  readonly text: string;
  readonly at: number;
}

interface Safeguard extends LastValue {
  readonly checks: number;
  readonly met: number;
}

const ago = (ms: number) => `${Math.max(0, Math.round(ms / 1000))}s ago`;

/**
 * The state a live progress block shows while a run goes, fed by the run's
 * events: what runs now, each fault in force with its countdown and its hit
 * count, the last value of each steady-state probe, each safeguard's state.
 * Pure: `lines(now)` renders it, and the terminal redraws it every tick.
 */
export class LiveView {
  private step = 'starting';
  private readonly windows = new Map<string, number>();
  private readonly faults = new Map<string, LiveFault>();
  private readonly probes = new Map<string, LastValue>();
  private readonly safeguards = new Map<string, Safeguard>();

  constructor(private readonly now: () => number) {}

  phase(phase: Journal['phase']): void {
    this.step = PHASES[phase];
  }

  activityStarted(activity: Activity, section: Section): void {
    this.step = `${section} ${activity.type} "${activity.name}"`;
    if (activity.provider.type === 'fault') this.windows.set(activity.name, activity.provider.duration);
  }

  activityEnded(r: ActivityRecord): void {
    const at = this.now();
    if (r.section === 'hypothesis') this.probes.set(r.activity.name, { text: describeResult(r), at });
    if (r.section !== 'safeguard') return;
    const last = this.safeguards.get(r.activity.name);
    const met = r.status === 'succeeded' && r.tolerance_met === true;
    this.safeguards.set(r.activity.name, { text: describeResult(r), at, checks: (last?.checks ?? 0) + 1, met: (last?.met ?? 0) + (met ? 1 : 0) });
  }

  /** How long the fault activity `name` holds its fault, once it has started. */
  windowOf(name: string): number | undefined {
    return this.windows.get(name);
  }

  faultInjected(f: FaultRecord): void {
    const windowMs = this.windows.get(f.activity);
    this.faults.set(f.id, { rule: describeRule(f.rule as object), endsAt: windowMs === undefined ? undefined : Date.parse(f.injectedAt) + windowMs });
  }

  faultCounted(f: FaultRecord, counts: { readonly matched: number; readonly hit: number }): void {
    const live = this.faults.get(f.id);
    if (live) live.counts = counts;
  }

  faultEnded(f: FaultRecord): void {
    this.faults.delete(f.id);
  }

  /** The block: the step on top (after `frame`, a spinner's), then one line per fault in force, probe and safeguard. */
  lines(frame: string): string[] {
    const now = this.now();
    const out = [`${frame} ${this.step}`];
    for (const [id, f] of this.faults) {
      const left = f.endsAt === undefined ? '' : f.endsAt > now ? `, ${Math.ceil((f.endsAt - now) / 1000)}s left` : ', ending';
      const counts = f.counts ? `, matched ${f.counts.matched}, hit ${f.counts.hit}` : ', no count yet';
      out.push(`  fault ${id} ${f.rule}${left}${counts}`);
    }
    for (const [name, p] of this.probes) out.push(`  probe "${name}": ${p.text} (${ago(now - p.at)})`);
    for (const [name, s] of this.safeguards) {
      const record = s.met === s.checks ? `${s.checks} check${s.checks === 1 ? '' : 's'}, all met` : `${s.checks - s.met} of ${s.checks} checks not met`;
      out.push(`  safeguard "${name}": ${s.text} (${record}; last ${ago(now - s.at)})`);
    }
    return out;
  }
}
