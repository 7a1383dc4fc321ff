import { BUCKETS, REQUESTS } from '../../runner/mesh-metrics.js';
import { leBound, parsePromText } from '../../runner/providers/prom-text.js';

/**
 * The two metric families the dashboard's edges are made of, read from a
 * proxy's Prometheus text with the runner's parser: `faultmesh_requests_total`
 * (rate, errors) and `faultmesh_request_duration_seconds_bucket` (p99),
 * added up per calling service and destination.
 */

/** One edge (calling service to destination) as one proxy counted it since it started. */
export interface EdgeCounts {
  total: number;
  /** Answers with a 5xx status, the proxy's own (502, 503, 504) and injected aborts included. */
  errors: number;
  /** Cumulative histogram counts by upper bound in seconds (`+Inf` as Infinity), summed over status codes. */
  readonly buckets: Map<number, number>;
}

/** Edges by `edgeKey(source, destination)`. */
export type EdgeSample = Map<string, EdgeCounts>;

const SEP = '\u0000';
export const edgeKey = (source: string, destination: string): string => `${source}${SEP}${destination}`;
export const splitEdgeKey = (key: string): { source: string; destination: string } => {
  const i = key.indexOf(SEP);
  return { source: key.slice(0, i), destination: key.slice(i + 1) };
};

const WANTED: ReadonlySet<string> = new Set([REQUESTS, BUCKETS]);

const countsFor = (sample: EdgeSample, key: string): EdgeCounts => {
  let c = sample.get(key);
  if (!c) sample.set(key, (c = { total: 0, errors: 0, buckets: new Map() }));
  return c;
};

/**
 * Per-edge counts in `text`. A sample that is not a count, or lacks its
 * edge's labels, is skipped: one odd series must not blank the whole map.
 * @example parseEdges('faultmesh_requests_total{source="web",destination="api",instance="a1",code="503"} 4').get(edgeKey('web', 'api'))?.errors // 4
 */
export function parseEdges(text: string): EdgeSample {
  const sample: EdgeSample = new Map();
  for (const { name, labels, value } of parsePromText(text, WANTED)) {
    const { source, destination } = labels;
    if (!Number.isFinite(value) || source === undefined || destination === undefined) continue;
    const counts = countsFor(sample, edgeKey(source, destination));
    if (name === REQUESTS) {
      counts.total += value;
      if (/^5\d\d$/.test(labels.code ?? '')) counts.errors += value;
      continue;
    }
    const bound = leBound(labels.le);
    if (!Number.isNaN(bound)) counts.buckets.set(bound, (counts.buckets.get(bound) ?? 0) + value);
  }
  return sample;
}
