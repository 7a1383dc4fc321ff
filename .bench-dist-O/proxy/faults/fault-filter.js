import { ProxyError } from '../errors.js';
import { headerValue } from '../routing/route-match.js';
import { headerRule } from './header-faults.js';
import { FAULT_KINDS } from './kinds/index.js';
/**
 * The fault layer: runs after the balancer picked an instance and before
 * forwarding, once per attempt. Gating happens here and only here, in this
 * order: target (the store's index), match, blast-radius cap, percentage.
 * The first rule that passes applies; its kinds wrap the rest of the stack.
 */
export const faultFilter = (deps) => (next) => {
    const built = new WeakMap();
    const handlerFor = (rule) => {
        let entry = built.get(rule);
        if (!entry) {
            const layers = FAULT_KINDS.map((k) => [k.name, k.build(rule, deps)]).filter(([, layer]) => layer !== undefined);
            entry = { names: layers.map(([name]) => name), handler: layers.reduceRight((inner, [, layer]) => layer(inner), next) };
            built.set(rule, entry);
        }
        return entry;
    };
    return (call) => {
        const rules = deps.store.rulesFor(call.destination);
        // The common case, a service with no faults, costs one map lookup.
        if (rules.length === 0 && !deps.allowHeaderFaults)
            return next(call);
        const fromHeader = deps.allowHeaderFaults ? headerRule(call, deps.now(), deps.random) : undefined;
        if (fromHeader instanceof ProxyError)
            return Promise.resolve({ kind: 'error', error: fromHeader });
        const rule = fromHeader ?? (rules.length === 0 ? undefined : firstHit(rules, call, call.endpoint, deps.now(), deps.customerHeader()));
        if (!rule)
            return next(call);
        const { names, handler } = handlerFor(rule);
        rule.counters.hit++;
        rule.counters.active++;
        call.whenClosed(() => rule.counters.active--);
        call.fault = { rule: rule.id, kinds: names };
        deps.onInjected(call, rule, names);
        return handler(call);
    };
};
/**
 * The gating every fault passes, for both the stack and upgrades
 * (forward/upgrade.ts), in this order: lease, match, blast-radius cap,
 * percentage. Returns the first rule that passes; counts `matched` on the
 * way, and leaves `hit` and `active` to the caller that applies it.
 */
export function firstHit(rules, request, endpoint, now, customerHeader) {
    if (rules.length === 0)
        return undefined;
    let facts;
    for (const rule of rules) {
        // A lease ends the moment it expires, not at the next sweep.
        if (!rule.isLive(now))
            continue;
        facts ??= { method: request.method, path: request.path, headers: request.headers, endpoint, source: request.source, customer: headerValue(request.headers, customerHeader) };
        if (!rule.matches(facts))
            continue;
        rule.counters.matched++;
        if (rule.spec.maxActive !== undefined && rule.counters.active >= rule.spec.maxActive)
            continue;
        if (!rule.rollsHit())
            continue;
        return rule;
    }
    return undefined;
}
//# sourceMappingURL=fault-filter.js.map