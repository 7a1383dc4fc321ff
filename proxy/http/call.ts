import type { ClientRequest, IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import type { ProxyError } from '../errors.js';
import type { Endpoint } from '../registry/endpoint.js';
import type { ServiceTable } from '../routing/mesh-table.js';
import type { RequestFacts } from '../routing/route-match.js';
import type { Split } from '../routing/split.js';
import type { TraceContext } from './trace-context.js';

/**
 * What a layer hands back: the upstream's response (with its body, which a
 * fault may have replaced by a slowed copy), a typed failure, or `drop`:
 * close the client's connection with no response at all.
 */
export type Outcome =
  | { readonly kind: 'response'; readonly response: IncomingMessage; readonly body?: Readable }
  | { readonly kind: 'error'; readonly error: ProxyError }
  | { readonly kind: 'drop'; readonly reason: string };

/** The fault that shaped a call, for the response header, the access log and metrics. */
export interface AppliedFault {
  readonly rule: string;
  readonly kinds: readonly string[];
}

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
  endpoint: Endpoint | undefined = undefined;
  /** The request in flight to the upstream, so a timeout can cancel it. */
  upstream: ClientRequest | undefined = undefined;
  /** Set by the forwarder for the attempt in flight. */
  settle: ((outcome: Outcome) => void) | undefined = undefined;
  error: ProxyError | undefined = undefined;
  /** Set by the fault filter when a rule hit this call. */
  fault: AppliedFault | undefined = undefined;
  /** Short notes for the access log: error codes, client aborts. */
  readonly flags: string[] = [];

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

  elapsedSeconds(): number {
    return Number(process.hrtime.bigint() - this.startNs) / 1e9;
  }
}
