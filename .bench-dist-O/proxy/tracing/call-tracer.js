import { ROOT_CONTEXT, SpanKind, SpanStatusCode, TraceFlags, trace } from '@opentelemetry/api';
import { endAttributes, errorTypeOf, startAttributes } from './call-attributes.js';
import { openPipeline } from './otlp-pipeline.js';
/**
 * The ids the proxy chose for a call before any span existed: the trace
 * id, and the span id its traceparent sends upstream (so the next hop's
 * span is this one's child). The SDK takes them instead of making its own;
 * set just before each startSpan, which reads them synchronously.
 */
class ChosenIds {
    traceId = '';
    spanId = '';
    generateTraceId() {
        return this.traceId;
    }
    generateSpanId() {
        return this.spanId;
    }
}
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
/**
 * Makes the spans of sampled calls and sends them over OTLP/HTTP. Loaded
 * only while this proxy exports spans (tracing-switch.ts): the SDK is
 * about 15 MiB of a sidecar's memory.
 */
export class CallTracer {
    ids = new ChosenIds();
    pipeline;
    constructor(settings, resource, counts) {
        this.pipeline = openPipeline({ ...settings, resource, counts, idGenerator: this.ids });
    }
    /** The span of a sampled call, started now: a client span, child of the caller's when it sent a traceparent. */
    start(call) {
        const t = call.trace;
        this.ids.traceId = t.traceId;
        this.ids.spanId = t.spanId;
        const parent = t.parentSpanId === undefined ? ROOT_CONTEXT : trace.setSpanContext(ROOT_CONTEXT, { traceId: t.traceId, spanId: t.parentSpanId, traceFlags: TraceFlags.SAMPLED, isRemote: true });
        return new RecordedCall(this.pipeline.tracer.startSpan(call.method, { kind: SpanKind.CLIENT, attributes: startAttributes(call) }, parent));
    }
    flush() {
        return this.pipeline.flush();
    }
    shutdown() {
        return this.pipeline.shutdown();
    }
}
/** One traced call: what the stack tells it (CallSpan), and its end. */
export class RecordedCall {
    span;
    subset = undefined;
    linked = undefined;
    constructor(span) {
        this.span = span;
    }
    attemptEnded(endpoint, subset, ejection) {
        this.subset = subset;
        if (ejection !== undefined)
            this.span.addEvent('faultmesh.ejection', { 'faultmesh.instance': endpoint.id, 'faultmesh.ejection.reason': ejection });
    }
    retried(attempt, endpoint, outcome, reason) {
        const a = { 'faultmesh.attempt': attempt + 1, 'faultmesh.retry.reason': reason };
        if (endpoint)
            a['faultmesh.instance'] = endpoint.id;
        if (outcome) {
            a['faultmesh.outcome'] = outcome.kind;
            if (outcome.kind === 'success' || outcome.kind === 'failure')
                a['http.response.status_code'] = outcome.status;
        }
        this.span.addEvent('faultmesh.retry', a);
    }
    faulted(rule, kinds, traceparent) {
        this.span.addEvent('faultmesh.fault', { 'faultmesh.fault.rule': rule, 'faultmesh.fault.kinds': [...kinds] });
        const m = traceparent === undefined ? null : TRACEPARENT.exec(traceparent);
        // Linked once per rule: a rule that hit every attempt names its run once.
        if (!m || this.linked?.has(rule))
            return;
        (this.linked ??= new Set()).add(rule);
        this.span.addLink({ context: { traceId: m[1], spanId: m[2], traceFlags: parseInt(m[3], 16), isRemote: true }, attributes: { 'faultmesh.fault.rule': rule } });
    }
    /** Once the client's response is over (sent or abandoned): the name, what the call came to, and its status. */
    end(call) {
        const status = call.res.headersSent ? call.res.statusCode : 0;
        if (call.service)
            this.span.updateName(`${call.method} ${call.service.name}`);
        this.span.setAttributes(endAttributes(call, status, this.subset));
        const error = errorTypeOf(call, status);
        if (error !== undefined)
            this.span.setStatus(call.error ? { code: SpanStatusCode.ERROR, message: call.error.message } : { code: SpanStatusCode.ERROR });
        this.span.end();
    }
}
//# sourceMappingURL=call-tracer.js.map