import type { MetricPoint } from '../runner/journal.js';
import { errorChart } from './error-chart.js';
import { meshCharts } from './mesh-charts.js';
import { probeCharts } from './probe-charts.js';
import { num, type Chart, type RunFrame } from './run-frame.js';
import type { ChartSeries } from './svg-chart.js';

export { runFrame, type Chart } from './run-frame.js';

/** Every chart of a run: traffic, errors and latency per destination; what the mesh did; each probe against its tolerance. */
export function runCharts(frame: RunFrame): Chart[] {
  const dest = Object.entries(frame.j.timeseries.destinations);
  const line = (pick: (p: MetricPoint) => number | null): ChartSeries[] => dest.map(([name, points]) => ({ name, points: points.map((p) => [frame.at(p), pick(p)] as const) }));
  const every = frame.j.timeseries.intervalMs ? `${frame.j.timeseries.intervalMs / 1000}s` : 'sampling';
  return [
    frame.chart('rate', { title: 'Request rate (req/s)', series: line((p) => p.rate), format: num }),
    errorChart(frame, line((p) => p.errorRatio)),
    frame.chart('p99', { title: 'p99 latency (ms)', series: line((p) => p.p99Ms), format: num }, `Each point is the p99 of the calls in its ${every} interval, from every caller; a probe's p99 covers its own, longer window (see its chart).`),
    ...meshCharts(frame),
    ...probeCharts(frame),
  ];
}
