import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { AppliedFault, Outcome } from '../core/outcome.js';
import type { ProxyError } from '../errors.js';
import type { Endpoint } from '../registry/endpoint.js';
import type { Classification } from '../resilience/classify.js';
import type { CallDeadlines } from './call-deadlines.js';
import type { RequestBody } from './request-body.js';
import type { Attempt } from './attempt.js';
import type { ServiceTable } from '../routing/mesh-table.js';
import type { RequestFacts } from '../routing/route-match.js';
import type { Split } from '../routing/split.js';
import type { TraceContext } from './trace-context.js';
import type { CallSpan } from '../tracing/call-span.js';

/** A layer of the stack: a function of the call, wrapping the next layer. */
export type Handler = (call: Call) => Promise<Outcome>;
export type Layer = (next: Handler) => Handler;

/**
 * Per-request state: created when a request arrives and dropped with it.
 * A class (not an object literal) so every call has the same shape on the hot path.
 */
export class Call implements RequestFacts {
  readonly startNs = process.hrtime.bigint();
  /** Destination service table, once resolved. */
  service: ServiceTable | undefined = undefined;
  route: number | undefined = undefined;
  split: Split | undefined = undefined;
  /** The instance of the latest attempt. */
  endpoint: Endpoint | undefined = undefined;
  /** The latest attempt; earlier ones are over. */
  attempt: Attempt | undefined = undefined;
  /** How the latest attempt ended, classified once for retries, outlier detection and metrics. */
  classification: Classification | undefined = undefined;
  /** The request body kept for replay, when the call may be retried. */
  body: RequestBody | undefined = undefined;
  /** The headers sent upstream, built on the first forwarded attempt and kept for retries (undici forwarder). */
  upstreamHeaders: string[] | undefined = undefined;
  retries = 0;
  /** Set when the call's overall timeout has answered: no more attempts. */
  timedOut = false;
  /** performance.now() by which the overall timeout answers (Infinity without one). */
  deadline = Infinity;
  /** The one timer of the call's timeouts (layers/timeout.ts). */
  deadlines: CallDeadlines | undefined = undefined;
  error: ProxyError | undefined = undefined;
  /** Set by the fault filter when a rule hit this call. */
  fault: AppliedFault | undefined = undefined;
  /** This call's span, set by the tracing layer only when the call is sampled and spans are exported. */
  span: CallSpan | undefined = undefined;
  /** Short notes for the access log: error codes, client aborts. */
  readonly flags: string[] = [];
  private closeHooks: Array<() => void> | undefined = undefined;
  private isClosed = false;

  constructor(
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    readonly method: string,
    /** Destination service name as the caller wrote it ('' when absent). */
    readonly destination: string,
    readonly path: string,
    readonly source: string,
    readonly trace: TraceContext,
  ) {}

  get headers(): IncomingHttpHeaders {
    return this.req.headers;
  }

  /**
   * Runs `fn` once the client's response has closed (sent, or abandoned), at
   * once if it has already. One 'close' listener per call (the listener's,
   * http/proxy-server.ts) serves every layer: a listener each cost an
   * event-emitter wrapper and a removal per request.
   */
  whenClosed(fn: () => void): void {
    if (this.isClosed) fn();
    else (this.closeHooks ??= []).push(fn);
  }

  /** Called once, by the listener, when the response closes. */
  closed(): void {
    this.isClosed = true;
    const hooks = this.closeHooks;
    this.closeHooks = undefined;
    if (hooks) for (const fn of hooks) fn();
  }

  elapsedSeconds(): number {
    return Number(process.hrtime.bigint() - this.startNs) / 1e9;
  }
}
