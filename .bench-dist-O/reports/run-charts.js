import { meshCharts } from './mesh-charts.js';
import { probeCharts } from './probe-charts.js';
import { num, pct } from './run-frame.js';
export { runFrame } from './run-frame.js';
/** Every chart of a run: traffic, errors and latency per destination; what the mesh did; each probe against its tolerance. */
export function runCharts(frame) {
    const dest = Object.entries(frame.j.timeseries.destinations);
    const line = (pick) => dest.map(([name, points]) => ({ name, points: points.map((p) => [frame.at(p), pick(p)]) }));
    const every = frame.j.timeseries.intervalMs ? `${frame.j.timeseries.intervalMs / 1000}s` : 'sampling';
    return [
        frame.chart('rate', { title: 'Request rate (req/s)', series: line((p) => p.rate), format: num }),
        frame.chart('errors', { title: 'Error ratio', series: line((p) => p.errorRatio), format: pct, yAtLeast: 0.05 }, 'Calls the caller saw fail (5xx or no answer), after any retries.'),
        frame.chart('p99', { title: 'p99 latency (ms)', series: line((p) => p.p99Ms), format: num }, `Each point is the p99 of the calls in its ${every} interval, from every caller; a probe's p99 covers its own, longer window (see its chart).`),
        ...meshCharts(frame),
        ...probeCharts(frame),
    ];
}
//# sourceMappingURL=run-charts.js.map