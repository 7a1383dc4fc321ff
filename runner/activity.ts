import { NO_CONTROLS, type RunControls } from './controls/run-controls.js';
import { exceptionOf } from './ctk-journal.js';
import type { Activity } from './experiment/activity-schema.js';
import type { Provider } from './experiment/provider-schema.js';
import type { FaultLedger } from './fault-ledger.js';
import type { ActivityRecord, Section } from './journal.js';
import { runProvider } from './providers/index.js';
import { isProbeTolerance, judgeByProbe } from './providers/probe-tolerance.js';
import type { PythonLogs } from './python/call-python.js';
import type { PythonEnv } from './python/python-env.js';
import { sleep } from './sleep.js';
import type { Tolerance } from './experiment/tolerance-schema.js';
import { describeTolerance, jsonpathMatches, judgedValue, withinTolerance } from './tolerance.js';

export interface ActivityContext {
  readonly signal: AbortSignal;
  readonly ledger: FaultLedger;
  readonly now: () => number;
  /** The interpreter and the experiment's values python providers get (absent: FAULTMESH_PYTHON or python3, with none). */
  readonly python?: PythonEnv;
  /** Chaos Toolkit's control hooks around each activity; none when absent. */
  readonly controls?: RunControls;
}

/**
 * Runs one activity between its controls' before and after hooks (the
 * after hook gets the record) and returns its record. Never throws.
 */
export async function runActivity(activity: Activity, section: Section, ctx: ActivityContext): Promise<ActivityRecord> {
  const controls = ctx.controls ?? NO_CONTROLS;
  await controls.before({ level: 'activity', activity }, ctx.signal);
  const record = await runOnce(activity, section, ctx);
  await controls.after({ level: 'activity', activity }, record, ctx.signal);
  return record;
}

/**
 * Runs one activity with its pauses and returns its record. Never throws:
 * a provider that fails, or a run that is interrupted, is written in the
 * record, and the lifecycle decides what that means.
 */
async function runOnce(activity: Activity, section: Section, ctx: ActivityContext): Promise<ActivityRecord> {
  const start = ctx.now();
  // What a python provider printed, kept in its record.
  let logs: PythonLogs | undefined;
  const finish = (fields: Partial<ActivityRecord> & Pick<ActivityRecord, 'status'>): ActivityRecord => {
    const end = ctx.now();
    return { activity, section, start: new Date(start).toISOString(), end: new Date(end).toISOString(), duration: (end - start) / 1000, ...fields, ...(logs && (logs.stdout || logs.stderr) ? { logs } : {}) };
  };
  const providerCtx = { signal: ctx.signal, ledger: ctx.ledger, activity: activity.name, python: ctx.python, secretScopes: activity.secrets, onLogs: (l: PythonLogs) => (logs = l) };
  if (activity.pauses?.before && !(await sleep(activity.pauses.before, ctx.signal))) return finish({ status: 'interrupted', error: 'interrupted during the pause before' });
  let output: unknown;
  try {
    output = await runProvider(activity.provider as Provider, providerCtx);
  } catch (err) {
    const e = err as Error & { output?: unknown };
    return finish({ status: ctx.signal.aborted ? 'interrupted' : 'failed', error: e.message, exception: exceptionOf(err), ...(e.output === undefined ? {} : { output: e.output }), ...(activity.tolerance === undefined ? {} : { tolerance: describeTolerance(activity.tolerance), tolerance_met: false }) });
  }
  const t = activity.tolerance;
  // A probe tolerance runs a probe of its own; the other forms are judged at once, with no await in their way.
  const judged = t === undefined ? {} : isProbeTolerance(t) ? await judgeWithProbe(t, output, providerCtx) : { tolerance: describeTolerance(t), tolerance_met: withinTolerance(t, output), value: judgedValue(t, output) };
  if (activity.pauses?.after && !(await sleep(activity.pauses.after, ctx.signal))) return finish({ status: 'interrupted', output, error: 'interrupted during the pause after', ...judged });
  return finish({ status: 'succeeded', output, ...judged });
}

/** A probe tolerance's judgement: met or not, and the tolerance probe's own result for the record. */
async function judgeWithProbe(t: Parameters<typeof judgeByProbe>[0], output: unknown, ctx: Parameters<typeof judgeByProbe>[2]) {
  const { met, record } = await judgeByProbe(t, output, { ...ctx, activity: t.name, onLogs: undefined });
  return { tolerance: `probe "${t.name}"`, tolerance_met: met, value: output, tolerance_probe: record };
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

/** What a jsonpath tolerance's path matched in a record's output, or undefined for another tolerance (or a record read back without one). */
function jsonpathFound(r: ActivityRecord): { path: string; found: string } | undefined {
  const t = (r.activity as { tolerance?: unknown }).tolerance as Tolerance | undefined;
  if (t === null || typeof t !== 'object' || Array.isArray(t) || t.type !== 'jsonpath' || typeof t.path !== 'string') return undefined;
  try {
    const matches = jsonpathMatches(t, r.output);
    const text = JSON.stringify(matches) ?? '[]';
    return { path: t.path, found: matches.length === 0 ? 'nothing' : text.length > 60 ? `${text.slice(0, 57)}...` : text };
  } catch {
    return undefined;
  }
}

/** The value a record's tolerance judged (a status, a ratio, what a jsonpath matched), or its whole output when that was an object, on one line. */
export function judgedSummary(r: ActivityRecord): string {
  const jsonpath = r.status === 'succeeded' ? jsonpathFound(r) : undefined;
  if (jsonpath) return `${jsonpath.found} at ${jsonpath.path}`;
  return summarizeOutput(r.value !== undefined && typeof r.value !== 'object' ? r.value : r.output);
}

/** A record's result on one line: the judged value (for a jsonpath, what its path matched) and what it was judged against, or why it has none. */
export function describeResult(r: ActivityRecord): string {
  if (r.status !== 'succeeded') return `${r.status}: ${r.error}`;
  const jsonpath = jsonpathFound(r);
  const shown = jsonpath ? `${jsonpath.path} matched ${jsonpath.found}` : judgedSummary(r);
  return r.tolerance === undefined ? shown : `${shown} ${r.tolerance_met ? '✓' : '✗'} (tolerance ${r.tolerance})`;
}
