import type { Activity } from './experiment/activity-schema.js';
import type { Provider } from './experiment/provider-schema.js';
import type { FaultLedger } from './fault-ledger.js';
import type { ActivityRecord, Section } from './journal.js';
import { runProvider } from './providers/index.js';
import { sleep } from './sleep.js';
import { describeTolerance, judgedValue, withinTolerance } from './tolerance.js';

export interface ActivityContext {
  readonly signal: AbortSignal;
  readonly ledger: FaultLedger;
  readonly now: () => number;
}

/**
 * Runs one activity with its pauses and returns its record. Never throws:
 * a provider that fails, or a run that is interrupted, is written in the
 * record, and the lifecycle decides what that means.
 */
export async function runActivity(activity: Activity, section: Section, ctx: ActivityContext): Promise<ActivityRecord> {
  const start = ctx.now();
  const finish = (fields: Partial<ActivityRecord> & Pick<ActivityRecord, 'status'>): ActivityRecord => {
    const end = ctx.now();
    return { activity, section, start: new Date(start).toISOString(), end: new Date(end).toISOString(), duration: (end - start) / 1000, ...fields };
  };
  if (activity.pauses?.before && !(await sleep(activity.pauses.before, ctx.signal))) return finish({ status: 'interrupted', error: 'interrupted during the pause before' });
  let output: unknown;
  try {
    output = await runProvider(activity.provider as Provider, { signal: ctx.signal, ledger: ctx.ledger, activity: activity.name });
  } catch (err) {
    const e = err as Error & { output?: unknown };
    return finish({ status: ctx.signal.aborted ? 'interrupted' : 'failed', error: e.message, ...(e.output === undefined ? {} : { output: e.output }), ...(activity.tolerance === undefined ? {} : { tolerance: describeTolerance(activity.tolerance), tolerance_met: false }) });
  }
  const judged = activity.tolerance === undefined ? {} : { tolerance: describeTolerance(activity.tolerance), tolerance_met: withinTolerance(activity.tolerance, output), value: judgedValue(activity.tolerance, output) };
  if (activity.pauses?.after && !(await sleep(activity.pauses.after, ctx.signal))) return finish({ status: 'interrupted', output, error: 'interrupted during the pause after', ...judged });
  return finish({ status: 'succeeded', output, ...judged });
}

/** What an activity returned, on one line: the value its tolerance judged, a number, a status, or a load summary. */
export function summarizeOutput(output: unknown): string {
  if (output === undefined) return 'no output';
  if (typeof output === 'number') return String(Number(output.toFixed(4)));
  if (output && typeof output === 'object') {
    const o = output as Record<string, unknown>;
    if ('status' in o) {
      const stdout = typeof o.stdout === 'string' && o.stdout.trim() ? `, stdout ${JSON.stringify(o.stdout.trim().slice(0, 60))}` : '';
      return `status ${String(o.status)}${stdout}`;
    }
    if ('heldMs' in o) {
      const fault = o as { heldMs?: number; state: string; counts?: { matched: number; hit: number } };
      return `fault ${fault.state} after ${((fault.heldMs ?? 0) / 1000).toFixed(1)}s${fault.counts ? `, matched ${fault.counts.matched}, hit ${fault.counts.hit}` : ''}`;
    }
    if (typeof o.achievedRate === 'number' && typeof o.successRatio === 'number' && typeof (o.latencyMs as { p99?: unknown } | undefined)?.p99 === 'number') {
      const load = o as { requests: number; achievedRate: number; successRatio: number; latencyMs: { p99: number } };
      return `${load.requests} requests at ${load.achievedRate}/s, ${(load.successRatio * 100).toFixed(1)}% ok, p99 ${load.latencyMs.p99.toFixed(1)} ms`;
    }
  }
  const text = JSON.stringify(output) ?? String(output);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** The value a record's tolerance judged (a status, a ratio), or its whole output when that was an object, on one line. */
export function judgedSummary(r: ActivityRecord): string {
  return summarizeOutput(r.value !== undefined && typeof r.value !== 'object' ? r.value : r.output);
}

/** A record's result on one line: the judged value and what it was judged against, or why it has none. */
export function describeResult(r: ActivityRecord): string {
  if (r.status !== 'succeeded') return `${r.status}: ${r.error}`;
  const shown = judgedSummary(r);
  return r.tolerance === undefined ? shown : `${shown} ${r.tolerance_met ? '✓' : '✗'} (tolerance ${r.tolerance})`;
}
