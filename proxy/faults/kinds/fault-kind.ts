import type { Call, Layer, Outcome } from '../../http/call.js';
import type { CompiledRule } from '../compiled-rule.js';

export type FaultKindName = 'delay' | 'abort' | 'reset' | 'hang' | 'throttle';

/** What fault kinds need from the outside world, injected so tests control time. */
export interface FaultDeps {
  /** Resolves after `ms`, or early when the call is abandoned. */
  readonly sleep: (ms: number, call: Call) => Promise<void>;
  /** Upper bound on a hang, so a forgotten client cannot hold a request forever. */
  readonly maxHangMs: number;
}

/**
 * One kind of fault: given a rule, the layer that applies it (or undefined
 * when the rule does not use this kind). Each kind handles both phases:
 * request (before forwarding) and response (after the upstream answered).
 */
export interface FaultKind {
  readonly name: FaultKindName;
  build(rule: CompiledRule, deps: FaultDeps): Layer | undefined;
}

/** True once the client has its answer or has gone: nothing more should reach the upstream. */
export function isAnswered(call: Call): boolean {
  return call.res.headersSent || call.res.destroyed;
}

/** Frees an upstream response we will not send on: drained, so its keep-alive socket is reused. */
export function discard(outcome: Outcome): void {
  if (outcome.kind === 'response') outcome.response.resume();
}

export const DROPPED: Outcome = { kind: 'drop', reason: 'FAULT_RESET' };
