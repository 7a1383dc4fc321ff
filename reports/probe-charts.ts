import type { ActivityRecord, MetricPoint } from '../runner/journal.js';
import { num, pct, type Chart, type RunFrame } from './run-frame.js';
import type { ChartBand, ChartSeries } from './svg-chart.js';

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** What a probe's tolerance allows, as bands on its chart: a threshold or range is a band, one number a line. Other kinds draw none. */
export function toleranceBands(t: unknown, label: string): ChartBand[] {
  if (isNum(t)) return [{ low: t, high: t, label }];
  const pair = (v: unknown) => (Array.isArray(v) && v.length === 2 && isNum(v[0]) && isNum(v[1]) ? [Math.min(v[0], v[1]), Math.max(v[0], v[1])] : undefined);
  const range = pair(t) ?? (isRecord(t) && t.type === 'range' ? pair(t.range) : undefined);
  if (range) return [{ low: range[0]!, high: range[1]!, label }];
  if (isRecord(t) && t.type === 'threshold' && (isNum(t.min) || isNum(t.max))) return [{ low: isNum(t.min) ? t.min : null, high: isNum(t.max) ? t.max : null, label }];
  return [];
}

/** The value a tolerance judged, when it is a number. */
const valueOf = (r: ActivityRecord): number | undefined => (r.status !== 'succeeded' ? undefined : isNum(r.value) ? r.value : isNum(r.output) ? r.output : undefined);

/** The sampled field that measures what a metric probe measures, for the line behind its dots. */
const SAMPLED: Record<string, (p: MetricPoint) => number | null> = {
  rate: (p) => p.rate,
  'error-ratio': (p) => p.errorRatio,
  'success-ratio': (p) => (p.errorRatio === null ? null : 1 - p.errorRatio),
  'latency-p50': (p) => p.p50Ms,
  'latency-p99': (p) => p.p99Ms,
};

/** A load probe's tolerance target, as the sampled measure that matches it. */
const LOAD_MEASURE: Record<string, string> = { successRatio: 'success-ratio', achievedRate: 'rate', 'latencyMs.p50': 'latency-p50', 'latencyMs.p99': 'latency-p99' };

/** What a probe measured and where, from its provider: a metric probe names both; a load probe's tolerance picks a field of its result. */
function measureOf(r: ActivityRecord): { measure: string; destination: string; from: string } {
  const p = r.activity.provider as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  const destination = str(p.destination) || str(p.target);
  if (p.type === 'load') {
    const t: unknown = r.activity.tolerance;
    const field = isRecord(t) ? str(t.target) : '';
    return { measure: LOAD_MEASURE[field] ?? field, destination, from: `${field || 'the result'} of the probe's own requests to ${destination || 'its target'}${str(p.proxy) ? ` through ${str(p.proxy)}` : ''}` };
  }
  const measure = str(p.measure);
  if (p.type === 'metric') return { measure, destination, from: `${measure} of ${str(p.source) ? `${str(p.source)} → ` : 'every caller → '}${destination}` };
  return { measure, destination, from: 'its value' };
}

/** A y axis close around the values and the tolerance, so a band at 0.99 is not a hairline at the top of 0..1. */
function yRange(values: readonly number[], ratio: boolean): { yMin: number; yAtLeast: number } {
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const pad = (hi - lo) * 0.25 || Math.abs(hi) * 0.05 || 1;
  const yMin = lo - pad <= hi * 0.3 || lo < 0 ? Math.min(0, lo) : lo - pad;
  return { yMin, yAtLeast: ratio ? Math.min(1, hi + pad) : hi + pad };
}

/**
 * One chart per numeric probe (metric, prometheus and load providers): each value
 * as a dot in the middle of the window it was measured over, that window as
 * a whisker, its tolerance as a band; behind the dots, the same measure
 * from the run's samples, so the two can be compared on one axis.
 */
export function probeCharts(frame: RunFrame): Chart[] {
  const { j, sec } = frame;
  const checks = [j.steady_states.before, ...j.steady_states.during, j.steady_states.after].flatMap((h) => h?.probes ?? []);
  const records = [...j.run, ...j.safeguards, ...checks].filter((r) => ['metric', 'prometheus', 'load'].includes(r.activity.provider.type) && valueOf(r) !== undefined);
  const byProbe = new Map<string, ActivityRecord[]>();
  for (const r of records) byProbe.set(r.activity.name, [...(byProbe.get(r.activity.name) ?? []), r]);
  return [...byProbe].map(([name, rs]) => {
    rs.sort((a, b) => a.end.localeCompare(b.end));
    const { measure, destination, from } = measureOf(rs[0]!);
    const ratio = measure.toLowerCase().endsWith('ratio');
    const format = ratio ? pct : num;
    const bands = toleranceBands(rs[0]!.activity.tolerance, `allowed: ${rs[0]!.tolerance ?? 'tolerance'}`);
    const series: ChartSeries[] = [];
    const samples = j.timeseries.destinations[destination];
    const pick = SAMPLED[measure];
    if (samples?.length && pick) series.push({ name: `${destination} ${measure}, ${j.timeseries.intervalMs / 1000 || 1}s samples, every caller`, points: samples.map((p) => [frame.at(p), pick(p)] as const), faint: true, color: '#94a3b8' });
    series.push({ name, dots: true, points: rs.map((r) => [(sec(r.start) + sec(r.end)) / 2, valueOf(r)!] as const), spans: rs.map((r) => [sec(r.start), sec(r.end)] as const) });
    const values = [...series.flatMap((s) => s.points.map((p) => p[1]).filter(isNum)), ...bands.flatMap((b) => [b.low, b.high]).filter(isNum)];
    const note = `${from}: each dot is one reading, in the middle of the window it measured (the whisker); the band is what its tolerance allows.${series.length > 1 ? ' The grey line: the same measure from the run\'s samples.' : ''}`;
    return frame.chart(`probe-${name}`, { title: `Probe "${name}"`, series, format, bands, ...yRange(values, ratio) }, note);
  });
}
