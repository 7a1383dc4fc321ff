import type { Attributes, MeterProvider, Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import { AlwaysOnSampler, BasicTracerProvider, BatchSpanProcessor, type BufferConfig, type IdGenerator, type Sampler } from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { countingExporter, queueDropsMeter, type SpanCounts } from './span-counts.js';

// The OpenTelemetry SDK and its OTLP exporter, about 15 MiB of a process's
// memory: only modules loaded when spans are exported import this one
// (proxy/tracing/call-tracer.ts, runner/tracing/), always lazily.

export interface PipelineOptions {
  /** The full OTLP/HTTP traces URL. */
  readonly url: string;
  readonly serviceName: string;
  /** More resource attributes (the proxy's id, region, zone). */
  readonly resource?: Attributes;
  /** Longest a finished span waits before its batch is sent. */
  readonly flushMs: number;
  /** Finished spans held for export at most; beyond, dropped and counted. */
  readonly maxQueue: number;
  /** Longest one export takes, its retries included. */
  readonly exportTimeoutMs: number;
  readonly counts: SpanCounts;
  /** Where span and trace ids come from (default random); the proxy chooses its own (call-tracer.ts). */
  readonly idGenerator?: IdGenerator;
  /** Whether the SDK samples: always by default, for callers that decided already. */
  readonly sampler?: Sampler;
}

export interface Pipeline {
  readonly tracer: Tracer;
  /** Sends what is queued; resolves when sent or failed. */
  flush(): Promise<void>;
  /** Sends what is queued, then stops; bounded by the export timeout. */
  shutdown(): Promise<void>;
}

/**
 * A tracer whose spans go, in batches from a bounded queue, to an OTLP/HTTP
 * collector as JSON (the exporter-trace-otlp-http package's encoding).
 * Nothing waits on the collector: ending a span only queues it; a full queue
 * drops it, an export that fails (after the exporter's own retries, within
 * `exportTimeoutMs`) drops its batch, and `counts` hears of both.
 */
export function openPipeline(o: PipelineOptions): Pipeline {
  const exporter = countingExporter(new OTLPTraceExporter({ url: o.url, timeoutMillis: o.exportTimeoutMs, concurrencyLimit: 2 }), o.counts);
  // sdk-trace-base's BatchSpanProcessor hands its whole config to @opentelemetry/sdk-trace's, whose options take
  // selfObsMeterProvider (where queue drops are told); only the declared config type lags behind.
  const config: BufferConfig & { selfObsMeterProvider: MeterProvider } = {
    maxQueueSize: o.maxQueue,
    // Serialising a batch to OTLP/JSON holds the event loop (about 30 µs a span here): batches of 256, not the
    // SDK's 512, keep each stall to a few milliseconds while one export still carries thousands of spans a second.
    maxExportBatchSize: Math.min(256, o.maxQueue),
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
