import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { AppliedFault } from '../core/outcome.js';
import type { ProxyError } from '../errors.js';
import type { GatedRequest } from '../faults/fault-filter.js';
import type { TraceContext } from '../http/trace-context.js';
import type { Endpoint } from '../registry/endpoint.js';
import type { Classification } from '../resilience/classify.js';
import type { ServiceTable } from '../routing/mesh-table.js';

/**
 * Who has answered the client's handshake: nobody yet, the proxy itself (an
 * error, an abort fault), or the upstream (its 101, or its refusal relayed).
 * Only a pending handshake may still get an answer; a later upstream error
 * cuts the socket instead.
 */
export type HandshakeState = 'pending' | 'proxy' | 'upstream';

/**
 * Per-upgrade state, the upgrade's counterpart of http/call.ts's Call:
 * created when an upgrade request arrives, dropped when its socket closes.
 */
export class UpgradeExchange implements GatedRequest {
  readonly startNs = process.hrtime.bigint();
  service: ServiceTable | undefined = undefined;
  route: number | undefined = undefined;
  endpoint: Endpoint | undefined = undefined;
  fault: AppliedFault | undefined = undefined;
  error: ProxyError | undefined = undefined;
  state: HandshakeState = 'pending';
  /** The status the client was answered with (101, the upstream's, the proxy's); 0 while none, or when cut with none. */
  status = 0;
  /** Seconds from arrival to the answer, once answered. */
  answeredAfter: number | undefined = undefined;
  /** How the handshake went for the instance, classified once for outlier detection and the log. */
  classification: Classification | undefined = undefined;
  /** Short notes for the access log, as a Call's. */
  readonly flags: string[] = [];

  constructor(
    readonly req: IncomingMessage,
    readonly socket: Socket,
    readonly method: string,
    /** Destination service name as the caller wrote it ('' when absent). */
    readonly destination: string,
    readonly path: string,
    readonly source: string,
    readonly trace: TraceContext,
    /** The protocol asked for (`websocket`), lower-cased. */
    readonly protocol: string,
  ) {}

  get headers(): IncomingHttpHeaders {
    return this.req.headers;
  }

  elapsedSeconds(): number {
    return Number(process.hrtime.bigint() - this.startNs) / 1e9;
  }

  /** Marks the handshake answered, once; false when it already was. */
  answer(by: Exclude<HandshakeState, 'pending'>, status: number): boolean {
    if (this.state !== 'pending') return false;
    this.state = by;
    this.status = status;
    this.answeredAfter = this.elapsedSeconds();
    return true;
  }
}
