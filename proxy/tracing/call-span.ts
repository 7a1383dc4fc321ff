import type { Endpoint } from '../registry/endpoint.js';
import type { Classification } from '../resilience/classify.js';

/**
 * What the stack tells a traced call's span while the call goes on. It is
 * set on `call.span` only for a sampled call while this proxy exports
 * spans, so each hook is `call.span?.…` and costs an untraced call one
 * property read. Ending the span is the tracing layer's (tracing-layer.ts).
 */
export interface CallSpan {
  /** An attempt ended: the route subset it went to, and the ejection of its instance it caused, if it caused one. */
  attemptEnded(endpoint: Endpoint, subset: string | undefined, ejection: string | undefined): void;
  /** The attempt that just ended (`attempt`, 0 for the first) is tried again, for `reason` (a retryOn condition). */
  retried(attempt: number, endpoint: Endpoint | undefined, outcome: Classification | undefined, reason: string): void;
  /** A fault rule hit an attempt; `traceparent` is the context of the run that injected it, when it said. */
  faulted(rule: string, kinds: readonly string[], traceparent: string | undefined): void;
}
