import { AggregatorRegistry, Registry, type MetricObjectWithValues, type MetricValue } from 'prom-client';

/** How long a scrape waits for the workers' registries; a worker that does not answer is left out of that scrape. */
export const METRICS_WAIT_MS = 3_000;

type Json = MetricObjectWithValues<MetricValue<string>>[];

/**
 * /metrics of a cluster primary: every worker's registry and the primary's
 * own (reloads, and its process), folded with prom-client's
 * AggregatorRegistry.aggregate: counters and histograms summed, gauges by
 * their `aggregator` (telemetry/metrics.ts). The workers are asked over
 * the primary's own channel (messages.ts), not prom-client's, so the wait
 * is bounded and a worker that died mid-scrape is simply not waited for.
 */
export class ClusterRegistry extends Registry {
  constructor(
    private readonly own: Registry,
    private readonly workers: (ms: number) => Promise<unknown[][]>,
  ) {
    super();
  }

  override async metrics(): Promise<string> {
    const all = [...((await this.workers(METRICS_WAIT_MS)) as Json[]), await this.own.getMetricsAsJSON()];
    return AggregatorRegistry.aggregate(all).metrics();
  }
}
