import { createNoopMeter } from '@opentelemetry/api';
import { ExportResultCode } from '@opentelemetry/core';
/** The SDK's own count of spans its processors finish (OpenTelemetry's SDK self-observability semconv). */
const PROCESSED = 'otel.sdk.processor.span.processed';
/**
 * A MeterProvider for the BatchSpanProcessor's self-observability option,
 * which is where the SDK tells of the spans it drops because its queue is
 * full (`error.type: queue_full`, never logged at the default level).
 * Everything else it measures goes to no-op instruments: exports are
 * counted by `countingExporter`, which also knows why one failed.
 */
export function queueDropsMeter(counts) {
    const noop = createNoopMeter();
    const processed = {
        add(value, attributes) {
            if (attributes?.['error.type'] === 'queue_full')
                counts.dropped(value, 'queue_full');
        },
    };
    const meter = Object.create(noop, {
        createCounter: { value: (name) => (name === PROCESSED ? processed : noop.createCounter(name)) },
    });
    return { getMeter: () => meter };
}
/** `inner`, counting each batch it sent or failed to send (after the exporter's own retries). */
export function countingExporter(inner, counts) {
    return {
        export(spans, done) {
            inner.export(spans, (result) => {
                if (result.code === ExportResultCode.SUCCESS)
                    counts.exported(spans.length);
                else
                    counts.dropped(spans.length, 'export_failed', result.error);
                done(result);
            });
        },
        shutdown: () => inner.shutdown(),
        forceFlush: () => inner.forceFlush?.() ?? Promise.resolve(),
    };
}
//# sourceMappingURL=span-counts.js.map