import type { Attempt } from '../../http/attempt.js';
import type { Outcome } from '../../core/outcome.js';
import type { Call, Layer } from '../../http/call.js';
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

/**
 * True once the client has its answer or has gone, or the attempt a fault
 * started in was given up (a per-try timeout): nothing more should reach
 * the upstream for it. `attempt` is the one current when the fault began.
 */
export function isGivenUp(call: Call, attempt: Attempt | undefined): boolean {
  return call.res.headersSent || call.res.destroyed || attempt?.abandoned === true;
}


export const DROPPED: Outcome = { kind: 'drop', reason: 'FAULT_RESET' };
