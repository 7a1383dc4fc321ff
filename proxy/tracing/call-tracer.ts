import { ROOT_CONTEXT, SpanKind, SpanStatusCode, TraceFlags, trace, type Attributes, type Span } from '@opentelemetry/api';
import type { IdGenerator } from '@opentelemetry/sdk-trace-base';
import type { Call } from '../http/call.js';
import type { Endpoint } from '../registry/endpoint.js';
import type { Classification } from '../resilience/classify.js';
import { endAttributes, errorTypeOf, startAttributes } from './call-attributes.js';
import type { CallSpan } from './call-span.js';
import { openPipeline, type Pipeline } from './otlp-pipeline.js';
import type { SpanCounts } from './span-counts.js';
import type { TracingSettings } from './tracing-config.js';

/**
 * The ids the proxy chose for a call before any span existed: the trace
 * id, and the span id its traceparent sends upstream (so the next hop's
 * span is this one's child). The SDK takes them instead of making its own;
 * set just before each startSpan, which reads them synchronously.
 */
class ChosenIds implements IdGenerator {
  traceId = '';
  spanId = '';
  generateTraceId(): string {
    return this.traceId;
  }
  generateSpanId(): string {
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
  private readonly ids = new ChosenIds();
  private readonly pipeline: Pipeline;

  constructor(settings: TracingSettings, resource: Attributes, counts: SpanCounts) {
    this.pipeline = openPipeline({ ...settings, resource, counts, idGenerator: this.ids });
  }

  /** The span of a sampled call, started now: a client span, child of the caller's when it sent a traceparent. */
  start(call: Call): RecordedCall {
    const t = call.trace;
    this.ids.traceId = t.traceId;
    this.ids.spanId = t.spanId;
    const parent = t.parentSpanId === undefined ? ROOT_CONTEXT : trace.setSpanContext(ROOT_CONTEXT, { traceId: t.traceId, spanId: t.parentSpanId, traceFlags: TraceFlags.SAMPLED, isRemote: true });
    return new RecordedCall(this.pipeline.tracer.startSpan(call.method, { kind: SpanKind.CLIENT, attributes: startAttributes(call) }, parent));
  }

  flush(): Promise<void> {
    return this.pipeline.flush();
  }

  shutdown(): Promise<void> {
    return this.pipeline.shutdown();
  }
}

/** One traced call: what the stack tells it (CallSpan), and its end. */
export class RecordedCall implements CallSpan {
  private subset: string | undefined = undefined;
  private linked: Set<string> | undefined = undefined;

  constructor(private readonly span: Span) {}

  attemptEnded(endpoint: Endpoint, subset: string | undefined, ejection: string | undefined): void {
    this.subset = subset;
    if (ejection !== undefined) this.span.addEvent('faultmesh.ejection', { 'faultmesh.instance': endpoint.id, 'faultmesh.ejection.reason': ejection });
  }

  retried(attempt: number, endpoint: Endpoint | undefined, outcome: Classification | undefined, reason: string): void {
    const a: Attributes = { 'faultmesh.attempt': attempt + 1, 'faultmesh.retry.reason': reason };
    if (endpoint) a['faultmesh.instance'] = endpoint.id;
    if (outcome) {
      a['faultmesh.outcome'] = outcome.kind;
      if (outcome.kind === 'success' || outcome.kind === 'failure') a['http.response.status_code'] = outcome.status;
    }
    this.span.addEvent('faultmesh.retry', a);
  }

  faulted(rule: string, kinds: readonly string[], traceparent: string | undefined): void {
    this.span.addEvent('faultmesh.fault', { 'faultmesh.fault.rule': rule, 'faultmesh.fault.kinds': [...kinds] });
    const m = traceparent === undefined ? null : TRACEPARENT.exec(traceparent);
    // Linked once per rule: a rule that hit every attempt names its run once.
    if (!m || this.linked?.has(rule)) return;
    (this.linked ??= new Set()).add(rule);
    this.span.addLink({ context: { traceId: m[1]!, spanId: m[2]!, traceFlags: parseInt(m[3]!, 16), isRemote: true }, attributes: { 'faultmesh.fault.rule': rule } });
  }

  /** Once the client's response is over (sent or abandoned): the name, what the call came to, and its status. */
  end(call: Call): void {
    const status = call.res.headersSent ? call.res.statusCode : 0;
    if (call.service) this.span.updateName(`${call.method} ${call.service.name}`);
    this.span.setAttributes(endAttributes(call, status, this.subset));
    const error = errorTypeOf(call, status);
    if (error !== undefined) this.span.setStatus(call.error ? { code: SpanStatusCode.ERROR, message: call.error.message } : { code: SpanStatusCode.ERROR });
    this.span.end();
  }
}
