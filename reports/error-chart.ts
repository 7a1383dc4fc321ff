import type { MetricPoint } from '../runner/journal.js';
import { pct, type Chart, type RunFrame } from './run-frame.js';
import type { ChartSeries } from './svg-chart.js';

const sumOf = (r: Readonly<Record<string, number>>, skip = '') => Object.entries(r).reduce((n, [k, v]) => n + (k === skip ? 0 : v), 0);

/**
 * What a flat 0% line means, said on the chart: the run's point is often
 * that callers saw no error although attempts were faulted. Null when the
 * callers did see errors, or when nothing was sampled.
 */
export function noErrorNotice(points: readonly MetricPoint[]): string | null {
  const ratios = points.map((p) => p.errorRatio).filter((v): v is number => v !== null);
  if (!ratios.length || ratios.some((v) => v > 0)) return null;
  // Delays fail nothing by themselves: only aborts, resets and the like are faults a retry can absorb.
  const failing = points.reduce((n, p) => n + (p.activity ? sumOf(p.activity.faulted, 'delay') : 0), 0);
  const retries = points.reduce((n, p) => n + (p.activity ? sumOf(p.activity.retries) : 0), 0);
  if (failing > 0 && retries > 0) return `callers saw no errors: retries absorbed ${failing} faulted attempt${failing === 1 ? '' : 's'}`;
  if (failing > 0) return `callers saw no errors, though ${failing} attempt${failing === 1 ? ' was' : 's were'} faulted`;
  return 'callers saw no errors';
}

/**
 * Error ratio per destination. With errors, the axis reaches 5% at least
 * so that small ratios look small; without any, it stops at 1% and says so,
 * rather than drawing a lone line at the bottom of an empty 0–6% axis.
 */
export function errorChart(frame: RunFrame, series: ChartSeries[]): Chart {
  const notice = noErrorNotice(Object.values(frame.j.timeseries.destinations).flat());
  const note = 'Calls the caller saw fail (5xx or no answer), after any retries.';
  return frame.chart('errors', { title: 'Error ratio', series, format: pct, yAtLeast: notice ? 0.01 : 0.05, ...(notice ? { notice } : {}) }, notice ? `${note} In this run the ${notice}.` : note);
}
