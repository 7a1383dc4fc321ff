import { AggregatorRegistry, Registry } from 'prom-client';
/** How long a scrape waits for the workers' registries; a worker that does not answer is counted with its last answer. */
export const METRICS_WAIT_MS = 3_000;
/**
 * /metrics of a cluster primary: every worker's registry and the primary's
 * own (reloads, and its process), folded with prom-client's
 * AggregatorRegistry.aggregate: counters and histograms summed, gauges by
 * their `aggregator` (telemetry/metrics.ts). The workers are asked over
 * the primary's own channel (messages.ts), not prom-client's, so the wait
 * is bounded.
 *
 * Summed counters must never go down, or Prometheus's rate() reads a
 * reset: a worker that is slow to answer counts with its last answer, and
 * a worker that died keeps its counters and histograms (its last answer,
 * folded into one retired registry); its gauges go with it.
 */
export class ClusterRegistry extends Registry {
    own;
    workers;
    last = new Map();
    retired = [];
    constructor(own, workers) {
        super();
        this.own = own;
        this.workers = workers;
    }
    async metrics() {
        const { answered, live } = await this.workers(METRICS_WAIT_MS);
        for (const [pid, json] of answered)
            this.last.set(pid, json);
        const dead = [];
        for (const [pid, json] of this.last) {
            if (live.has(pid))
                continue;
            dead.push(json.filter((m) => String(m.type) === 'counter' || String(m.type) === 'histogram'));
            this.last.delete(pid);
        }
        if (dead.length > 0)
            this.retired = (await AggregatorRegistry.aggregate([this.retired, ...dead]).getMetricsAsJSON());
        return AggregatorRegistry.aggregate([...this.last.values(), this.retired, await this.own.getMetricsAsJSON()]).metrics();
    }
}
//# sourceMappingURL=cluster-registry.js.map