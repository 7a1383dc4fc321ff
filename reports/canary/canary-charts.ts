import type { CanaryJournal, CanaryPoint, SubsetPoint } from '../../runner/canary/canary-types.js';
import type { Chart } from '../report-model.js';
import { num, pct } from '../run-frame.js';
import { svgChart, type ChartMark, type ChartSeries, type ChartWindow } from '../svg-chart.js';


/** A chaos stage by its file's name ("region-outage"), not its whole path: the label sits in a band a few dozen pixels wide. */
export const stageName = (file: string) => (file.split(/[\\/]/).pop() || file).replace(/\.(ya?ml|json)$/i, '');

/**
 * The canary weight as a step line: it holds each value until the next
 * change, so each change is drawn as a vertical edge. Before the first
 * change the canary had 0% (a canary starts from the mesh's "all on stable").
 */
function weightSteps(j: CanaryJournal, sec: (t: string) => number, xMax: number): Array<readonly [number, number]> {
  const changes = j.weights.length ? j.weights.map((w) => [sec(w.at), w.weight] as const) : j.timeseries.map((p) => [sec(p.t), p.weight] as const);
  const out: Array<readonly [number, number]> = [[0, 0]];
  for (const [t, w] of changes) out.push([t, out.at(-1)![1]], [t, w]);
  out.push([Math.max(xMax, out.at(-1)![0]), out.at(-1)![1]]);
  return out;
}

/**
 * The report's charts over the canary's time: weight, error ratio, p99
 * and request rate, stable against canary; every chaos stage shaded and
 * every judgement marked on top (green pass, red fail, grey insufficient).
 */
export function canaryCharts(j: CanaryJournal, sec: (t: string) => number, xMax: number): Chart[] {
  const windows: ChartWindow[] = j.chaos.map((c) => ({ from: sec(c.start), to: c.end ? sec(c.end) : xMax, label: `chaos: ${stageName(c.experiment)}` }));
  const marks: ChartMark[] = j.judgements.map((g) => ({ at: sec(g.at), label: `judgement, step ${g.step} at ${g.weight}%`, ok: g.outcome === 'pass', neutral: g.outcome === 'insufficient', word: g.outcome }));
  const bySubset = (pick: (p: SubsetPoint) => number | null): ChartSeries[] =>
    (['stable', 'canary'] as const).map((subset) => ({ name: subset, points: j.timeseries.map((p: CanaryPoint) => [sec(p.t), pick(p[subset])] as const) }));
  const chart = (key: string, title: string, series: ChartSeries[], format: (y: number, decimals?: number) => string, yAtLeast?: number): Chart => ({
    key,
    title,
    svg: svgChart({ title, series, windows, marks, xMax, format, ...(yAtLeast === undefined ? {} : { yAtLeast }) }),
  });
  return [
    chart('weight', 'Canary weight (% of traffic)', [{ name: 'canary weight', points: weightSteps(j, sec, xMax) }], (y) => `${y}%`, 100),
    chart('errors', 'Error ratio, canary vs stable', bySubset((p) => p.errorRatio), pct, 0.05),
    chart('p99', 'p99 latency (ms), canary vs stable', bySubset((p) => p.p99Ms), num),
    chart('rate', 'Request rate per subset (req/s)', bySubset((p) => p.rate), num),
  ];
}
