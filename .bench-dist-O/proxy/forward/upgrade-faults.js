import { setTimer } from '../config/duration.js';
import { faultAbort } from '../errors.js';
import { firstHit } from '../faults/fault-filter.js';
import { drawDelay } from '../faults/kinds/delay.js';
/**
 * The kinds that apply to a handshake, in the order a rule's actions wrap
 * each other (faults/kinds/index.ts): a delay first, then what ends it.
 * Throttle paces an HTTP response body, which an upgraded stream has not.
 */
const UPGRADE_KINDS = ['delay', 'abort', 'reset', 'hang'];
const PASS = { kind: 'pass' };
/** The first rule aimed at the exchange's destination that passes the gating (the fault filter's own), for its chosen instance. */
export function upgradeRuleFor(ex, store, now, customerHeader) {
    const rules = store.rulesFor(ex.destination);
    return rules.length === 0 ? undefined : firstHit(rules, ex, ex.endpoint, now, customerHeader);
}
/**
 * Applies a rule at the handshake, whatever its phase: there is no later
 * answer to wait for, so a response-phase abort refuses the upgrade too.
 * A rule with no kind that applies here (throttle only) is not counted as
 * a hit. A client that leaves during a wait ends it; the caller sees its
 * socket destroyed.
 */
export async function applyUpgradeFault(ex, rule, deps) {
    const spec = rule.spec;
    const kinds = UPGRADE_KINDS.filter((kind) => spec[kind] !== undefined);
    if (kinds.length === 0)
        return PASS;
    rule.counters.hit++;
    rule.counters.active++;
    // A faulted upgrade is in progress for as long as its connection is open.
    ex.socket.once('close', () => rule.counters.active--);
    ex.fault = { rule: rule.id, kinds };
    for (const kind of kinds)
        deps.onInjected(kind);
    if (spec.delay)
        await whileOpen(ex.socket, drawDelay(spec.delay, rule.random));
    if (spec.abort)
        return { kind: 'error', error: faultAbort(rule.id, spec.abort.status, spec.abort.body, spec.abort.headers) };
    if (spec.reset)
        return { kind: 'drop', reason: 'FAULT_RESET' };
    if (spec.hang) {
        await whileOpen(ex.socket, deps.maxHangMs);
        return { kind: 'drop', reason: 'FAULT_HANG_ENDED' };
    }
    return PASS;
}
/** Resolves after `ms`, or at once when the socket closes. */
function whileOpen(socket, ms) {
    if (socket.destroyed)
        return Promise.resolve();
    return new Promise((resolve) => {
        const done = () => {
            clearTimeout(timer);
            socket.off('close', done);
            resolve();
        };
        const timer = setTimer(done, ms);
        socket.once('close', done);
    });
}
//# sourceMappingURL=upgrade-faults.js.map