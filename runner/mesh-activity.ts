import type { MeshActivity } from './journal.js';
import { BUCKETS, REQUESTS } from './mesh-metrics.js';
import type { Sample } from './providers/prom-text.js';

// What the mesh did, read from the families every proxy exports (proxy/telemetry/metrics.ts):
// the claim of most experiments is "the mesh absorbed it", and these counters are its evidence.
export const RETRIES = 'faultmesh_retries_total';
export const EJECTIONS = 'faultmesh_outlier_ejections_total';
export const FAULTS_INJECTED = 'faultmesh_faults_injected_total';

/** Every family the run's sampler reads: traffic and latency, and the mesh's own doings. */
export const SAMPLED_FAMILIES: ReadonlySet<string> = new Set([REQUESTS, BUCKETS, RETRIES, EJECTIONS, FAULTS_INJECTED]);

/** A 5xx, or no status at all (a reset, a hang cut off): what a caller counts as an error. */
const isError = (s: Sample) => !/^[1-4]\d\d$/.test(s.labels.code ?? '');

function sumBy(samples: readonly Sample[], name: string, label: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of samples) {
    if (s.name !== name || s.value === 0) continue;
    const key = s.labels[label] ?? 'unknown';
    out[key] = (out[key] ?? 0) + s.value;
  }
  return out;
}

/**
 * One destination's activity in one interval, from the counter increases of
 * its series (already filtered to the destination). Requests per instance
 * are those the instance answered last: a call retried onto another
 * instance counts for the one that answered it.
 */
export function activityOf(changed: readonly Sample[]): MeshActivity {
  const requests = changed.filter((s) => s.name === REQUESTS);
  return {
    requests: requests.reduce((n, s) => n + s.value, 0),
    errors: requests.filter(isError).reduce((n, s) => n + s.value, 0),
    retries: sumBy(changed, RETRIES, 'reason'),
    faulted: sumBy(changed, FAULTS_INJECTED, 'kind'),
    instances: sumBy(changed, REQUESTS, 'instance'),
  };
}

export interface SeenEjection {
  readonly destination: string;
  readonly instance: string;
  readonly reason: string;
  readonly by: string;
  readonly count: number;
}

/**
 * The ejections counted between two scrapes, one entry per proxy, instance
 * and reason. `by` is the proxy's id when a control plane merged the series
 * (its `proxy` label), else the admin URL scraped.
 */
export function ejectionsIn(changed: ReadonlyArray<Sample & { readonly admin: string }>): SeenEjection[] {
  return changed
    .filter((s) => s.name === EJECTIONS && s.value > 0)
    .map((s) => ({ destination: s.labels.destination ?? 'unknown', instance: s.labels.instance ?? 'unknown', reason: s.labels.reason ?? 'unknown', by: s.labels.proxy ?? s.admin, count: s.value }));
}
