import { createNoopMeter, type Attributes, type Counter, type Meter, type MeterProvider } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';

/** What becomes of finished spans: sent, or dropped (the queue was full, or the collector failed). */
export interface SpanCounts {
  exported(n: number): void;
  dropped(n: number, reason: 'queue_full' | 'export_failed', error?: Error): void;
}

/** The SDK's own count of spans its processors finish (OpenTelemetry's SDK self-observability semconv). */
const PROCESSED = 'otel.sdk.processor.span.processed';

/**
 * A MeterProvider for the BatchSpanProcessor's self-observability option,
 * which is where the SDK tells of the spans it drops because its queue is
 * full (`error.type: queue_full`, never logged at the default level).
 * Everything else it measures goes to no-op instruments: exports are
 * counted by `countingExporter`, which also knows why one failed.
 */
export function queueDropsMeter(counts: SpanCounts): MeterProvider {
  const noop = createNoopMeter();
  const processed: Counter = {
    add(value: number, attributes?: Attributes) {
      if (attributes?.['error.type'] === 'queue_full') counts.dropped(value, 'queue_full');
    },
  };
  const meter: Meter = Object.create(noop, {
    createCounter: { value: (name: string) => (name === PROCESSED ? processed : noop.createCounter(name)) },
  }) as Meter;
  return { getMeter: () => meter };
}

/** `inner`, counting each batch it sent or failed to send (after the exporter's own retries). */
export function countingExporter(inner: SpanExporter, counts: SpanCounts): SpanExporter {
  return {
    export(spans: ReadableSpan[], done: (result: ExportResult) => void) {
      inner.export(spans, (result) => {
        if (result.code === ExportResultCode.SUCCESS) counts.exported(spans.length);
        else counts.dropped(spans.length, 'export_failed', result.error);
        done(result);
      });
    },
    shutdown: () => inner.shutdown(),
    forceFlush: () => inner.forceFlush?.() ?? Promise.resolve(),
  };
}
