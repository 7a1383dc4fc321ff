import { describeResult, judgedSummary } from '../runner/activity.js';
import { describeRule } from '../runner/describe.js';
import type { ActivityRecord, FaultRecord, HypothesisRecord, Journal } from '../runner/journal.js';
import { verdictOf } from '../runner/verdict.js';
import { svgChart, type ChartMark, type ChartSeries, type ChartWindow } from './svg-chart.js';

/** How a run ended, in one word: what a game-day summary lists. */
export type Outcome = 'held' | 'deviated' | 'failed' | 'aborted' | 'interrupted' | 'incomplete';

export interface Chart {
  readonly key: string;
  readonly title: string;
  readonly svg: string;
}

export type Row = readonly string[];

/** Everything a report shows of one run, derived once from its journal; HTML and Markdown only lay it out. */
export interface RunReport {
  readonly journal: Journal;
  readonly outcome: Outcome;
  readonly verdict: string;
  readonly incomplete: boolean;
  readonly charts: readonly Chart[];
  readonly probes: readonly Row[];
  readonly faults: readonly Row[];
  readonly activities: readonly Row[];
  readonly safeguards: readonly Row[];
  readonly rollbacks: readonly Row[];
  /** What the rollbacks section says when none ran: `No rollback ran: strategy never.` when the strategy skipped them. */
  readonly noRollbacks: string;
  readonly errors: readonly Row[];
}

export const PROBE_HEAD = ['when', 'probe', 'value', 'tolerance', 'met'];
export const FAULT_HEAD = ['fault', 'rule', 'where', 'from', 'to', 'held for', 'matched', 'hit', 'state'];
export const ACTIVITY_HEAD = ['activity', 'status', 'duration', 'result'];
export const SAFEGUARD_HEAD = ['safeguard', 'checks', 'last value', 'tolerance', 'passed'];
export const ERROR_HEAD = ['phase', 'error'];

/** A journal's ISO time as people read it in a report: `2026-12-01 09:15:00 UTC`. */
export const formatWhen = (iso: string | null) => (iso ? new Date(iso).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC') : '—');

export function outcomeOf(j: Journal): Outcome {
  if (j.status === 'running') return 'incomplete';
  if (j.status === 'completed' && !j.deviated) return 'held';
  if (j.deviated) return 'deviated';
  return j.status === 'completed' ? 'held' : j.status;
}

const pct = (y: number) => `${(y * 100).toFixed(y < 0.1 && y > 0 ? 1 : 0)}%`;
const num = (y: number) => (Math.abs(y) >= 100 ? y.toFixed(0) : Number(y.toPrecision(3)).toString());

/** The "where" cell: each admin, a control plane marked so, with the proxies it said applied the fault. */
function whereCell(f: FaultRecord): string {
  const applied = f.appliedBy ? `, applied by ${f.appliedBy.length ? f.appliedBy.join(', ') : 'no proxy'}` : '';
  return f.admins.map((a) => (f.controls?.includes(a) ? `${a} (control plane${applied})` : a)).join(', ');
}

function valueOf(r: ActivityRecord): string {
  if (r.status !== 'succeeded') return `${r.status}: ${r.error ?? ''}`;
  return judgedSummary(r);
}

function charts(j: Journal, sec: (t: string) => number, xMax: number): Chart[] {
  const windows: ChartWindow[] = j.faults.map((f) => ({ from: sec(f.injectedAt), to: f.removedAt ? sec(f.removedAt) : xMax, label: f.activity }));
  const checks: Array<[string, HypothesisRecord | null]> = [['steady state before', j.steady_states.before], ...j.steady_states.during.map((h): [string, HypothesisRecord] => ['steady state during', h]), ['steady state after', j.steady_states.after]];
  const marks: ChartMark[] = checks.flatMap(([label, h]) => (h ? [{ at: sec(h.at), label, ok: h.met }] : []));
  const dest = Object.entries(j.timeseries.destinations);
  const line = (pick: (p: (typeof dest)[number][1][number]) => number | null): ChartSeries[] => dest.map(([name, points]) => ({ name, points: points.map((p) => [sec(p.t), pick(p)] as const) }));
  const out: Chart[] = [];
  const add = (key: string, title: string, series: ChartSeries[], format: (y: number) => string, yAtLeast?: number) =>
    out.push({ key, title, svg: svgChart({ title, series, windows, marks, xMax, format, ...(yAtLeast === undefined ? {} : { yAtLeast }) }) });
  add('rate', 'Request rate (req/s)', line((p) => p.rate), num);
  add('errors', 'Error ratio', line((p) => p.errorRatio), pct, 0.05);
  add('p99', 'p99 latency (ms)', line((p) => p.p99Ms), num);
  // Metric probes, wherever they ran, as points at the time each one ended.
  const metricRecords = [...j.run, ...j.safeguards, ...checks.flatMap(([, h]) => h?.probes ?? [])].filter((r) => r.activity.provider.type === 'metric' && typeof r.output === 'number');
  const byProbe = new Map<string, Array<readonly [number, number]>>();
  for (const r of metricRecords) byProbe.set(r.activity.name, [...(byProbe.get(r.activity.name) ?? []), [sec(r.end), r.output as number] as const]);
  if (byProbe.size) add('metric-probes', 'Metric probes', [...byProbe].map(([name, points]) => ({ name, points, dots: true })), num);
  return out;
}

/** Derives the report of one run from its journal. */
export function runReport(j: Journal): RunReport {
  const t0 = Date.parse(j.start);
  const sec = (t: string) => (Date.parse(t) - t0) / 1000;
  const lastSample = Object.values(j.timeseries.destinations).flat().map((p) => sec(p.t));
  const lastActivity = [...j.run, ...j.rollbacks].map((r) => sec(r.end));
  const xMax = j.duration ?? Math.max(1, ...lastSample, ...lastActivity);
  const at = (t: string | undefined) => (t ? `${sec(t).toFixed(1)}s` : '—');

  const probeRows = (label: string, h: HypothesisRecord | null): Row[] => (h ? h.probes.map((r) => [label, r.activity.name, valueOf(r), r.tolerance ?? '', r.tolerance_met ? 'yes' : 'NO']) : []);
  const guards = new Map<string, ActivityRecord[]>();
  for (const r of j.safeguards) guards.set(r.activity.name, [...(guards.get(r.activity.name) ?? []), r]);

  return {
    journal: j,
    outcome: outcomeOf(j),
    verdict: verdictOf(j),
    incomplete: j.status === 'running',
    charts: charts(j, sec, xMax),
    probes: [...probeRows('before', j.steady_states.before), ...j.steady_states.during.flatMap((h) => probeRows(`during (${at(h.at)})`, h)), ...probeRows('after', j.steady_states.after)],
    faults: j.faults.map((f) => [f.id, describeRule(f.rule as object), whereCell(f), at(f.injectedAt), at(f.removedAt), f.heldMs === undefined ? 'still held' : `${(f.heldMs / 1000).toFixed(1)}s`, String(f.counts?.matched ?? '—'), String(f.counts?.hit ?? '—'), f.lost ? `lost: ${f.lost.cause} (${f.lost.admin})` : f.state]),
    activities: j.run.map((r) => [`${r.activity.type} ${r.activity.name}`, r.status, `${r.duration.toFixed(1)}s`, describeResult(r)]),
    safeguards: [...guards].map(([name, rs]) => [name, String(rs.length), valueOf(rs.at(-1)!), rs.at(-1)!.tolerance ?? '', rs.every((r) => r.status === 'succeeded' && r.tolerance_met) ? 'yes' : 'NO']),
    rollbacks: j.rollbacks.map((r) => [`${r.activity.type} ${r.activity.name}`, r.status, `${r.duration.toFixed(1)}s`, describeResult(r)]),
    noRollbacks: typeof j.rollbacksSkipped === 'string' && j.rollbacksSkipped ? `No rollback ran: ${j.rollbacksSkipped}.` : 'No rollback ran.',
    errors: j.errors.map((e) => [e.phase, e.message]),
  };
}
