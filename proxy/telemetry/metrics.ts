import { Counter, Histogram, Registry, collectDefaultMetrics, Gauge } from 'prom-client';

/**
 * Every metric the proxy exports, declared in one place. Labels stay low in
 * cardinality: service and instance names come from the mesh file, source
 * names are bounded, and paths or customer ids never become labels.
 */
export interface MetricSources {
  /** Fault rules currently live, read at scrape time. */
  readonly activeFaults: () => number;
  /** Requests received and not yet answered, read at scrape time. */
  readonly inFlight: () => number;
}

export function createMetrics(sources: MetricSources) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'faultmesh_' });

  const requests = new Counter({
    name: 'faultmesh_requests_total',
    help: 'Requests handled by the proxy, by calling service, destination service, instance and response status.',
    labelNames: ['source', 'destination', 'instance', 'code'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'faultmesh_request_duration_seconds',
    help: 'Time from request arrival to the end of the response, by calling service, destination and status.',
    labelNames: ['source', 'destination', 'code'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const proxyErrors = new Counter({
    name: 'faultmesh_proxy_errors_total',
    help: 'Responses the proxy made itself, by destination and error code (UPSTREAM_TIMEOUT, NO_INSTANCE...).',
    labelNames: ['destination', 'error'] as const,
    registers: [registry],
  });
  const reloads = new Counter({
    name: 'faultmesh_config_reloads_total',
    help: 'Mesh file reloads, by result (ok or rejected).',
    labelNames: ['result'] as const,
    registers: [registry],
  });
  /** A gauge whose value is read from the running proxy when Prometheus scrapes. */
  const liveGauge = (name: string, help: string, read: () => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(read());
      },
    });
  const inFlight = liveGauge('faultmesh_requests_in_flight', 'Requests received and not yet answered.', sources.inFlight);

  const faultsInjected = new Counter({
    name: 'faultmesh_faults_injected_total',
    help: 'Faults injected, by rule id, kind (abort, delay, reset, hang, throttle) and destination service.',
    labelNames: ['rule', 'kind', 'destination'] as const,
    registers: [registry],
  });
  const activeFaults = liveGauge('faultmesh_active_faults', 'Fault rules whose lease has not run out.', sources.activeFaults);

  return { registry, requests, duration, proxyErrors, reloads, inFlight, faultsInjected, activeFaults };
}

export type Metrics = ReturnType<typeof createMetrics>;
