import { ProxyError } from '../errors.js';
import type { Call, Handler, Layer } from '../http/call.js';
import type { Random } from '../routing/balancer.js';
import type { Endpoint } from '../registry/endpoint.js';
import { headerValue, type RequestFacts } from '../routing/route-match.js';
import type { CompiledRule, FaultFacts } from './compiled-rule.js';
import type { FaultStore } from './fault-store.js';
import { headerRule } from './header-faults.js';
import { FAULT_KINDS } from './kinds/index.js';
import type { FaultDeps } from './kinds/fault-kind.js';

export interface FaultFilterDeps extends FaultDeps {
  readonly store: FaultStore;
  readonly now: () => number;
  readonly random: Random;
  readonly customerHeader: () => string;
  readonly allowHeaderFaults: boolean;
  /** Told of every injection, once per kind: metrics subscribe here. */
  readonly onInjected: (call: Call, rule: CompiledRule, kinds: readonly string[]) => void;
}

/**
 * The fault layer: runs after the balancer picked an instance and before
 * forwarding, once per attempt. Gating happens here and only here, in this
 * order: target (the store's index), match, blast-radius cap, percentage.
 * The first rule that passes applies; its kinds wrap the rest of the stack.
 */
export const faultFilter =
  (deps: FaultFilterDeps): Layer =>
  (next) => {
    const built = new WeakMap<CompiledRule, { names: string[]; handler: Handler }>();
    const handlerFor = (rule: CompiledRule) => {
      let entry = built.get(rule);
      if (!entry) {
        const layers = FAULT_KINDS.map((k) => [k.name, k.build(rule, deps)] as const).filter(([, layer]) => layer !== undefined);
        entry = { names: layers.map(([name]) => name), handler: layers.reduceRight<Handler>((inner, [, layer]) => layer!(inner), next) };
        built.set(rule, entry);
      }
      return entry;
    };

    return (call) => {
      const rules = deps.store.rulesFor(call.destination);
      // The common case, a service with no faults, costs one map lookup.
      if (rules.length === 0 && !deps.allowHeaderFaults) return next(call);
      const fromHeader = deps.allowHeaderFaults ? headerRule(call, deps.now(), deps.random) : undefined;
      if (fromHeader instanceof ProxyError) return Promise.resolve({ kind: 'error', error: fromHeader });
      const rule = fromHeader ?? (rules.length === 0 ? undefined : firstHit(rules, call, call.endpoint!, deps.now(), deps.customerHeader()));
      if (!rule) return next(call);

      const { names, handler } = handlerFor(rule);
      rule.counters.hit++;
      rule.counters.active++;
      call.whenClosed(() => rule.counters.active--);
      call.fault = { rule: rule.id, kinds: names };
      deps.onInjected(call, rule, names);
      return handler(call);
    };
  };

/** What the gating reads of a request: its facts and its caller (a Call, or an upgrade request). */
export interface GatedRequest extends RequestFacts {
  readonly source: string;
}

/**
 * The gating every fault passes, for both the stack and upgrades
 * (forward/upgrade.ts), in this order: lease, match, blast-radius cap,
 * percentage. Returns the first rule that passes; counts `matched` on the
 * way, and leaves `hit` and `active` to the caller that applies it.
 */
export function firstHit(rules: readonly CompiledRule[], request: GatedRequest, endpoint: Endpoint, now: number, customerHeader: string): CompiledRule | undefined {
  if (rules.length === 0) return undefined;
  let facts: FaultFacts | undefined;
  for (const rule of rules) {
    // A lease ends the moment it expires, not at the next sweep.
    if (!rule.isLive(now)) continue;
    facts ??= { method: request.method, path: request.path, headers: request.headers, endpoint, source: request.source, customer: headerValue(request.headers, customerHeader) };
    if (!rule.matches(facts)) continue;
    rule.counters.matched++;
    if (rule.spec.maxActive !== undefined && rule.counters.active >= rule.spec.maxActive) continue;
    if (!rule.rollsHit()) continue;
    return rule;
  }
  return undefined;
}
