import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import { AlwaysOnSampler, BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { countingExporter, queueDropsMeter } from './span-counts.js';
/**
 * A tracer whose spans go, in batches from a bounded queue, to an OTLP/HTTP
 * collector as JSON (the exporter-trace-otlp-http package's encoding).
 * Nothing waits on the collector: ending a span only queues it; a full queue
 * drops it, an export that fails (after the exporter's own retries, within
 * `exportTimeoutMs`) drops its batch, and `counts` hears of both.
 */
export function openPipeline(o) {
    const exporter = countingExporter(new OTLPTraceExporter({ url: o.url, timeoutMillis: o.exportTimeoutMs, concurrencyLimit: 2 }), o.counts);
    // sdk-trace-base's BatchSpanProcessor hands its whole config to @opentelemetry/sdk-trace's, whose options take
    // selfObsMeterProvider (where queue drops are told); only the declared config type lags behind.
    const config = {
        maxQueueSize: o.maxQueue,
        maxExportBatchSize: Math.min(512, o.maxQueue),
        scheduledDelayMillis: o.flushMs,
        // The exporter gives up first, so its result (and why) is what is counted.
        exportTimeoutMillis: o.exportTimeoutMs + 1000,
        selfObsMeterProvider: queueDropsMeter(o.counts),
    };
    const processor = new BatchSpanProcessor(exporter, config);
    const provider = new BasicTracerProvider({
        resource: defaultResource().merge(resourceFromAttributes({ ...o.resource, [ATTR_SERVICE_NAME]: o.serviceName })),
        sampler: o.sampler ?? new AlwaysOnSampler(),
        spanProcessors: [processor],
        ...(o.idGenerator ? { idGenerator: o.idGenerator } : {}),
    });
    return {
        tracer: provider.getTracer('faultmesh'),
        flush: () => provider.forceFlush(),
        shutdown: () => provider.shutdown(),
    };
}
//# sourceMappingURL=otlp-pipeline.js.map