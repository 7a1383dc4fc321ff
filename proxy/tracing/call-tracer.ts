import { ROOT_CONTEXT, SpanKind, SpanStatusCode, TraceFlags, trace, type Attributes, type Link } from '@opentelemetry/api';
import type { IdGenerator } from '@opentelemetry/sdk-trace-base';
import { realTimers, type Timers } from '../core/timers.js';
import type { Call } from '../http/call.js';
import type { Endpoint } from '../registry/endpoint.js';
import type { Classification } from '../resilience/classify.js';
import { endAttributes, errorTypeOf, startAttributes } from './call-attributes.js';
import type { CallSpan } from './call-span.js';
import { openPipeline, type Pipeline } from './otlp-pipeline.js';
import { SpanBatch, type CallRecord, type RecordEvent } from './span-batch.js';
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

/** How long a finished call's record waits for others before they are made spans together, and how many make a batch. */
const BATCH_DELAY_MS = 200;
const BATCH_SIZE = 128;

/** Epoch milliseconds with the monotonic clock's fraction: a span's start and end, and its events. */
const origin = performance.timeOrigin;
const nowMs = () => origin + performance.now();

/**
 * Makes the spans of sampled calls and sends them over OTLP/HTTP. Loaded
 * only while this proxy exports spans (tracing-switch.ts): the SDK is
 * about 15 MiB of a sidecar's memory. A call is recorded as plain data
 * while it runs; the SDK makes its span later, with others (span-batch.ts).
 */
export class CallTracer {
  private readonly ids = new ChosenIds();
  private readonly pipeline: Pipeline;
  private readonly batch: SpanBatch;

  constructor(settings: TracingSettings, resource: Attributes, counts: SpanCounts, timers: Pick<Timers, 'setTimeout' | 'clearTimeout'> = realTimers) {
    this.pipeline = openPipeline({ ...settings, resource, counts, idGenerator: this.ids });
    this.batch = new SpanBatch((records) => this.emit(records), { max: settings.maxQueue, size: BATCH_SIZE, delayMs: BATCH_DELAY_MS, timers, dropped: (n) => counts.dropped(n, 'queue_full') });
  }

  /** The record of a sampled call, started now: a client span, child of the caller's when it sent a traceparent. */
  start(call: Call): RecordedCall {
    return new RecordedCall(call, nowMs(), (record) => this.batch.add(record));
  }

  /** The SDK spans of finished calls, with the times they were recorded at. */
  private emit(records: readonly CallRecord[]): void {
    const tracer = this.pipeline.tracer;
    for (const r of records) {
      this.ids.traceId = r.traceId;
      this.ids.spanId = r.spanId;
      const parent = r.parentSpanId === undefined ? ROOT_CONTEXT : trace.setSpanContext(ROOT_CONTEXT, { traceId: r.traceId, spanId: r.parentSpanId, traceFlags: TraceFlags.SAMPLED, isRemote: true });
      const span = tracer.startSpan(r.name, { kind: SpanKind.CLIENT, attributes: r.attributes, startTime: r.startMs, ...(r.links ? { links: [...r.links] } : {}) }, parent);
      for (const e of r.events ?? []) span.addEvent(e.name, e.attributes, e.atMs);
      if (r.error) span.setStatus(r.error.message === undefined ? { code: SpanStatusCode.ERROR } : { code: SpanStatusCode.ERROR, message: r.error.message });
      span.end(r.endMs);
    }
  }

  flush(): Promise<void> {
    this.batch.drain();
    return this.pipeline.flush();
  }

  shutdown(): Promise<void> {
    this.batch.drain();
    return this.pipeline.shutdown();
  }
}

/** One traced call: what the stack tells it (CallSpan), kept as plain data, and its end. */
export class RecordedCall implements CallSpan {
  private subset: string | undefined = undefined;
  private linked: Set<string> | undefined = undefined;
  private events: RecordEvent[] | undefined = undefined;
  private links: Link[] | undefined = undefined;
  private readonly attributes: Attributes;

  constructor(
    call: Call,
    private readonly startMs: number,
    private readonly done: (record: CallRecord) => void,
  ) {
    this.attributes = startAttributes(call);
  }

  private event(name: string, attributes: Attributes): void {
    (this.events ??= []).push({ name, atMs: nowMs(), attributes });
  }

  attemptEnded(endpoint: Endpoint, subset: string | undefined, ejection: string | undefined): void {
    this.subset = subset;
    if (ejection !== undefined) this.event('faultmesh.ejection', { 'faultmesh.instance': endpoint.id, 'faultmesh.ejection.reason': ejection });
  }

  retried(attempt: number, endpoint: Endpoint | undefined, outcome: Classification | undefined, reason: string): void {
    const a: Attributes = { 'faultmesh.attempt': attempt + 1, 'faultmesh.retry.reason': reason };
    if (endpoint) a['faultmesh.instance'] = endpoint.id;
    if (outcome) {
      a['faultmesh.outcome'] = outcome.kind;
      if (outcome.kind === 'success' || outcome.kind === 'failure') a['http.response.status_code'] = outcome.status;
    }
    this.event('faultmesh.retry', a);
  }

  faulted(rule: string, kinds: readonly string[], traceparent: string | undefined): void {
    this.event('faultmesh.fault', { 'faultmesh.fault.rule': rule, 'faultmesh.fault.kinds': [...kinds] });
    const m = traceparent === undefined ? null : TRACEPARENT.exec(traceparent);
    // Linked once per rule: a rule that hit every attempt names its run once.
    if (!m || this.linked?.has(rule)) return;
    (this.linked ??= new Set()).add(rule);
    (this.links ??= []).push({ context: { traceId: m[1]!, spanId: m[2]!, traceFlags: parseInt(m[3]!, 16), isRemote: true }, attributes: { 'faultmesh.fault.rule': rule } });
  }

  /** Once the client's response is over (sent or abandoned): the name, what the call came to, and its status. */
  end(call: Call): void {
    const status = call.res.headersSent ? call.res.statusCode : 0;
    const t = call.trace;
    const failed = errorTypeOf(call, status) !== undefined;
    this.done({
      traceId: t.traceId,
      spanId: t.spanId,
      parentSpanId: t.parentSpanId,
      name: call.service ? `${call.method} ${call.service.name}` : call.method,
      startMs: this.startMs,
      endMs: nowMs(),
      attributes: Object.assign(this.attributes, endAttributes(call, status, this.subset)),
      events: this.events,
      links: this.links,
      error: failed ? { message: call.error?.message } : undefined,
    });
  }
}
