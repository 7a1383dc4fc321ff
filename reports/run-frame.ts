// What every chart of one run shares, and how values are written on their axes: a leaf, so the chart modules need not import each other.
import type { HypothesisRecord, Journal, MetricPoint } from '../runner/journal.js';
import { svgChart, type ChartInput, type ChartMark, type ChartWindow } from './svg-chart.js';

export interface Chart {
  readonly key: string;
  readonly title: string;
  readonly svg: string;
  /** A sentence under the chart: how to read it. */
  readonly note?: string;
}

/** A ratio as a percentage; `decimals` when an axis needs them to keep its ticks apart. */
export const pct = (y: number, decimals?: number) => `${(y * 100).toFixed(decimals ?? (y < 0.1 && y > 0 ? 1 : 0))}%`;
export const num = (y: number, decimals?: number) => (decimals !== undefined ? y.toFixed(decimals) : Math.abs(y) >= 100 ? y.toFixed(0) : Number(y.toPrecision(3)).toString());

/** Seconds since the run started, for a journal time. */
export type Seconds = (t: string) => number;

/** What every chart of one run shares: the time axis, the fault windows and the steady-state checks. */
export interface RunFrame {
  readonly j: Journal;
  readonly sec: Seconds;
  readonly xMax: number;
  readonly windows: readonly ChartWindow[];
  readonly marks: readonly ChartMark[];
  /** A sample's time on the chart: the middle of the interval it covers. */
  readonly at: (p: MetricPoint) => number;
  readonly chart: (key: string, input: Omit<ChartInput, 'windows' | 'marks' | 'xMax'> & { windows?: readonly ChartWindow[] }, note?: string) => Chart;
}

/**
 * A check's mark sits where its probes measured: in the middle of the
 * span from the first probe's start to the last one's end, with that span
 * drawn as a bracket (a metric probe's value covers its whole window).
 */
function checkMark(label: string, h: HypothesisRecord, sec: Seconds): ChartMark {
  const starts = h.probes.map((p) => sec(p.start));
  const ends = h.probes.map((p) => sec(p.end));
  if (!starts.length) return { at: sec(h.at), label, ok: h.met };
  const from = Math.min(...starts);
  const to = Math.max(...ends);
  return { at: (from + to) / 2, from, to, label, ok: h.met };
}

export function runFrame(j: Journal, sec: Seconds, xMax: number): RunFrame {
  const windows: ChartWindow[] = j.faults.map((f) => ({ from: sec(f.injectedAt), to: f.removedAt ? sec(f.removedAt) : xMax, label: f.activity }));
  const checks: Array<[string, HypothesisRecord | null]> = [['steady state before', j.steady_states.before], ...j.steady_states.during.map((h): [string, HypothesisRecord] => ['steady state during', h]), ['steady state after', j.steady_states.after]];
  const marks = checks.flatMap(([label, h]) => (h ? [checkMark(label, h, sec)] : []));
  const half = j.timeseries.intervalMs / 2000;
  // Older journals' points have no `from`: each covers the interval before its time.
  const at = (p: MetricPoint) => (p.from ? (sec(p.from) + sec(p.t)) / 2 : sec(p.t) - half);
  const chart: RunFrame['chart'] = (key, input, note) => ({ key, title: input.title, svg: svgChart({ windows, marks, xMax, ...input }), ...(note ? { note } : {}) });
  return { j, sec, xMax, windows, marks, at, chart };
}
