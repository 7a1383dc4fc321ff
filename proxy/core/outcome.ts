import type { Readable, Writable } from 'node:stream';
import type { ProxyError } from '../errors.js';

/**
 * The stack's vocabulary, in a leaf module: attempts, classification,
 * outlier detection and routing speak of outcomes without importing the
 * per-request Call (which imports them), so no type-level cycle is possible.
 */

/**
 * An upstream's answer as every forwarder delivers it (forward/forwarder.ts):
 * the head, received, and the body, not yet read. Freeing it means
 * destroying the body (the connection is cut) or resuming it (drained, so
 * a keep-alive connection is reused).
 */
export interface UpstreamResponse {
  readonly statusCode: number;
  readonly statusMessage: string | undefined;
  /** As received: [name, value, name, value, ...], original case and order. */
  readonly rawHeaders: readonly string[];
  readonly body: Readable;
  /** Sends the body to the client and ends it, faster than piping `body` (a forwarder's own path; undefined: pipe). */
  readonly relayTo?: ((sink: Writable) => void) | undefined;
}

/**
 * What a layer hands back: the upstream's response (with `body`, when a
 * fault replaced the upstream's body by a slowed copy), a typed failure, or
 * `drop`: close the client's connection with no response at all.
 */
export type Outcome =
  | { readonly kind: 'response'; readonly response: UpstreamResponse; readonly body?: Readable }
  | { readonly kind: 'error'; readonly error: ProxyError }
  | { readonly kind: 'drop'; readonly reason: string };

/** The fault that shaped a call, for the response header, the access log and metrics. */
export interface AppliedFault {
  readonly rule: string;
  readonly kinds: readonly string[];
}

/** Frees an upstream response we will not send on: drained, so its keep-alive socket is reused. */
export function discard(outcome: Outcome): void {
  if (outcome.kind === 'response') outcome.response.body.resume();
}
