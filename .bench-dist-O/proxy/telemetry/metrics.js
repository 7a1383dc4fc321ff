import { Counter, Histogram, Registry, collectDefaultMetrics, Gauge } from 'prom-client';
/** Bucket bounds of faultmesh_subset_attempt_duration_seconds, in milliseconds. */
export const SUBSET_BUCKETS_MS = [1, 2, 3, 5, 7.5, 10, 15, 20, 30, 40, 50, 75, 100, 150, 200, 300, 400, 500, 750, 1000, 1500, 2000, 3000, 5000, 10000];
export function createMetrics(sources) {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry, prefix: 'faultmesh_' });
    /** A side's three call families: requests by status, their latency, and the answers the proxy made itself. */
    const callFamilies = (names, help) => ({
        requests: new Counter({ name: names.requests, help: help.requests, labelNames: ['source', 'destination', 'instance', 'code'], registers: [registry] }),
        duration: new Histogram({
            name: names.duration,
            help: help.duration,
            labelNames: ['source', 'destination', 'code'],
            buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
            registers: [registry],
        }),
        errors: new Counter({ name: names.errors, help: help.errors, labelNames: ['destination', 'error'], registers: [registry] }),
    });
    const { requests, duration, errors: proxyErrors } = callFamilies({ requests: 'faultmesh_requests_total', duration: 'faultmesh_request_duration_seconds', errors: 'faultmesh_proxy_errors_total' }, {
        requests: 'Requests handled by the proxy, by calling service, destination service, instance and response status.',
        duration: 'Time from request arrival to the end of the response, by calling service, destination and status.',
        errors: 'Responses the proxy made itself, by destination and error code (UPSTREAM_TIMEOUT, NO_INSTANCE...).',
    });
    // An inbound sidecar's calls (proxy/transport/inbound-record.ts) have families of their own: the caller's
    // outbound sidecar already counts each of them in the three above, and a sum over proxies (the control
    // plane's /metrics, an experiment's probe) must count a call once, with the status its caller saw.
    const inbound = callFamilies({ requests: 'faultmesh_inbound_requests_total', duration: 'faultmesh_inbound_request_duration_seconds', errors: 'faultmesh_inbound_errors_total' }, {
        requests: "Calls an inbound sidecar passed to its app (or refused), by the caller's verified service, this service, instance and status.",
        duration: 'Time from an inbound call arriving to the end of its response, by caller, this service and status.',
        errors: 'Answers an inbound sidecar made itself (FORBIDDEN, MTLS_REQUIRED, the app unreachable...), by this service and error code.',
    });
    const { requests: inboundRequests, duration: inboundDuration, errors: inboundErrors } = inbound;
    const reloads = new Counter({
        name: 'faultmesh_config_reloads_total',
        help: 'Mesh file reloads, by result (ok or rejected).',
        labelNames: ['result'],
        registers: [registry],
    });
    /**
     * A gauge whose value is read from the running proxy when Prometheus
     * scrapes. `aggregator` is how a cluster primary (--workers N) folds the
     * workers' values into one (prom-client's AggregatorRegistry; counters
     * and histograms are summed).
     */
    const liveGauge = (name, help, read, aggregator) => new Gauge({
        name,
        help,
        aggregator,
        registers: [registry],
        collect() {
            this.set(read());
        },
    });
    // Each worker has its own requests in flight: the proxy's are their sum.
    const inFlight = liveGauge('faultmesh_requests_in_flight', 'Requests received and not yet answered.', sources.inFlight, 'sum');
    const faultsInjected = new Counter({
        name: 'faultmesh_faults_injected_total',
        help: 'Faults injected, by kind (abort, delay, reset, hang, throttle) and destination service. Per-rule counts are in GET /v1/faults.',
        // No `rule` label: the runner gives every run's rules unique ids, so each run would add series forever.
        labelNames: ['kind', 'destination'],
        registers: [registry],
    });
    // Every worker holds the same rules (the primary's): summed, N workers would show N times the rules.
    const activeFaults = liveGauge('faultmesh_active_faults', 'Fault rules whose lease has not run out.', sources.activeFaults, 'max');
    const retries = new Counter({
        name: 'faultmesh_retries_total',
        help: 'Retries made, by destination and the retryOn condition that caused them (connect-failure, reset, gateway-error, 5xx, retriable-status-codes).',
        labelNames: ['destination', 'reason'],
        registers: [registry],
    });
    // Per attempt and per route subset, for canary analysis (v2 against v1 on one route): a retry onto another subset does not hide this one's failure.
    const subsetAttempts = new Counter({
        name: 'faultmesh_subset_attempts_total',
        help: 'Attempts sent to a labelled subset of a route, by destination, route index, subset (its labels as k=v,k=v) and outcome (success, failure, timeout, reset, cancelled).',
        labelNames: ['destination', 'route', 'subset', 'outcome'],
        registers: [registry],
    });
    const subsetAttemptDuration = new Histogram({
        name: 'faultmesh_subset_attempt_duration_seconds',
        help: "Time to response headers of attempts sent to a labelled subset of a route (answered or timed out), by destination, route index and subset.",
        labelNames: ['destination', 'route', 'subset'],
        // Fine enough to compare two subsets' distributions bucket by bucket (a Mann-Whitney test on buckets).
        buckets: SUBSET_BUCKETS_MS.map((ms) => ms / 1000),
        registers: [registry],
    });
    const retryBudgetExhausted = new Counter({
        name: 'faultmesh_retry_budget_exhausted_total',
        help: 'Retries not made because the retry budget of the destination was spent.',
        labelNames: ['destination'],
        registers: [registry],
    });
    const outlierEjections = new Counter({
        name: 'faultmesh_outlier_ejections_total',
        help: 'Instances ejected by outlier detection, by destination, instance and reason (consecutive-5xx, consecutive-gateway-errors, slow, probation).',
        labelNames: ['destination', 'instance', 'reason'],
        registers: [registry],
    });
    // Counted by the inbound sidecar of `destination`; `source` is the refused caller's verified identity, bounded (proxy/authz/record-denied.ts).
    const authzDenied = new Counter({
        name: 'faultmesh_authz_denied_total',
        help: "Inbound calls refused by the service's authorization policy (403 FORBIDDEN), by destination service and caller identity (unauthenticated without one).",
        labelNames: ['destination', 'source'],
        registers: [registry],
    });
    // Counted by the outbound connector (transport/tls-connector.ts): with keep-alive and session tickets, handshakes stay rare and mostly resumed.
    const upstreamTlsHandshakes = new Counter({
        name: 'faultmesh_upstream_tls_handshakes_total',
        help: 'Completed mTLS handshakes to instances of tls: mutual services, by destination and whether a TLS session was resumed (true, false).',
        labelNames: ['destination', 'resumed'],
        registers: [registry],
    });
    // Counted by the inbound sidecar (transport/inbound-server.ts) of `destination`, per request: what is left to migrate to mTLS.
    const inboundPlaintext = new Counter({
        name: 'faultmesh_inbound_plaintext_total',
        help: 'Plaintext requests a permissive inbound sidecar accepted (callers without a certificate), by destination service.',
        labelNames: ['destination'],
        registers: [registry],
    });
    // Per refused connection; `reason` is one of a fixed few (transport/inbound-tls-failure.ts).
    const inboundTlsFailures = new Counter({
        name: 'faultmesh_inbound_tls_failures_total',
        help: 'Connections the inbound sidecar refused before any request, by reason (no_certificate, unknown_ca, expired, bad_certificate, plaintext, other).',
        labelNames: ['reason'],
        registers: [registry],
    });
    // Counted by the span exporter (proxy/tracing/tracing-switch.ts): what the collector got, and what was lost on the way.
    const traceSpansExported = new Counter({
        name: 'faultmesh_trace_spans_exported_total',
        help: 'Spans of proxied calls sent to the OTLP collector (--otlp-endpoint, or the mesh\'s tracing:).',
        registers: [registry],
    });
    const traceSpansDropped = new Counter({
        name: 'faultmesh_trace_spans_dropped_total',
        help: 'Spans of proxied calls lost instead of slowing calls, by reason: queue_full (the export queue was full) or export_failed (the collector was down or refused them).',
        labelNames: ['reason'],
        registers: [registry],
    });
    const instanceEjected = new Gauge({
        name: 'faultmesh_instance_ejected',
        help: '1 while an instance is ejected by outlier detection, else 0.',
        labelNames: ['destination', 'instance'],
        // 1 on every worker once one ejects it (the ejection is shared): a sum would say 2 with two workers.
        aggregator: 'max',
        registers: [registry],
        collect() {
            this.reset();
            for (const i of sources.instances())
                this.labels(i.destination, i.instance).set(i.ejected ? 1 : 0);
        },
    });
    return { registry, requests, duration, proxyErrors, inboundRequests, inboundDuration, inboundErrors, reloads, inFlight, faultsInjected, activeFaults, retries, subsetAttempts, subsetAttemptDuration, retryBudgetExhausted, outlierEjections, instanceEjected, authzDenied, upstreamTlsHandshakes, inboundPlaintext, inboundTlsFailures, traceSpansExported, traceSpansDropped };
}
//# sourceMappingURL=metrics.js.map