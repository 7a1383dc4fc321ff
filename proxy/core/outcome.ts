import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import type { ProxyError } from '../errors.js';

/**
 * The stack's vocabulary, in a leaf module: attempts, classification,
 * outlier detection and routing speak of outcomes without importing the
 * per-request Call (which imports them), so no type-level cycle is possible.
 */

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

/** Frees an upstream response we will not send on: drained, so its keep-alive socket is reused. */
export function discard(outcome: Outcome): void {
  if (outcome.kind === 'response') outcome.response.resume();
}
