import { describeResult } from './activity.js';
import { describeRule, faultWhere } from './describe.js';
import { verdictOf } from './verdict.js';
/**
 * The lines progress output is made of, on a terminal and in a pipe alike:
 * one function per kind of line, so both printers say the same thing.
 */
export const PHASES = {
    'hypothesis-before': 'steady state before',
    method: 'method',
    'hypothesis-after': 'steady state after',
    // Told once the faults are off (the lines just above say how each ended), so no printer stands before the revert.
    revert: 'revert done',
    rollbacks: 'rollbacks',
    done: 'done',
};
/** Whether an operator's halt ended the fault (the ledger found it gone from a halted proxy or control plane). */
export const endedByHalt = (f) => f.lost?.cause === 'proxy halted';
const seconds = (ms) => `${((ms ?? 0) / 1000).toFixed(1)}s`;
/** A halt on several proxies records the first loss, then "also lost on X ... (proxy halted)" per other proxy: one fact, told once. */
const ALSO_HALTED = /^also lost on \S+ at \S+ \(proxy halted\)$/;
/**
 * What a fault did. Zeros read from nowhere would claim that no request
 * matched: when no count was read before the fault ended, that is said instead.
 */
export function countsText(f) {
    if (!f.counts)
        return '';
    const { matched, hit } = f.counts;
    if (f.countedUntil !== undefined && Date.parse(f.countedUntil) <= Date.parse(f.injectedAt) && matched === 0)
        return ', no count was read before it ended';
    return `, matched ${matched}, hit ${hit}${f.countedUntil ? ` (counted until ${f.countedUntil})` : ''}`;
}
export const faultInjectedLine = (f) => `  fault ${f.id} injected ${faultWhere(f)}: ${describeRule(f.rule)}`;
/**
 * How a fault ended. One ended by a halt says so once: not at all when the
 * stop line above already named it (`run`'s "an emergency halt on X removed
 * fault ID"), and never once per halted proxy.
 * @param windowMs the fault activity's duration, when known: "after 4.2s of 12s"
 */
export function faultEndedLine(f, o = {}) {
    const applied = f.appliedBy ? `, applied by ${f.appliedBy.length} prox${f.appliedBy.length === 1 ? 'y' : 'ies'}${f.appliedBy.length ? ` (${f.appliedBy.join(', ')})` : ''}` : '';
    const held = `${seconds(f.heldMs)}${o.windowMs ? ` of ${seconds(o.windowMs).replace('.0s', 's')}` : ''}`;
    if (!endedByHalt(f))
        return `  fault ${f.id} ${f.state} after ${seconds(f.heldMs)}${countsText(f)}${applied}${f.errors.length ? ` (${f.errors.join('; ')})` : ''}`;
    const others = f.errors.filter((e) => !ALSO_HALTED.test(e));
    const halted = 1 + f.errors.length - others.length;
    const where = halted > 1 ? ` on ${halted} proxies` : '';
    const how = o.stopLineNamedIt ? `held ${held} until the halt${where}` : `ended by the emergency halt${where} after ${held}`;
    return `  fault ${f.id} ${how}${countsText(f)}${applied}${others.length ? ` (${others.join('; ')})` : ''}`;
}
/** An activity's result. A fault activity cut short by a halt is just "interrupted": its fault's line says the rest. */
export function activityEndedLine(r, cutByHalt = false) {
    return `  ${r.section} ${r.activity.type} "${r.activity.name}": ${cutByHalt ? 'interrupted' : describeResult(r)} [${r.duration.toFixed(1)}s]`;
}
export const runEndedLine = (journal) => `${journal.status}${journal.deviated ? ' (deviated)' : ''} in ${(journal.duration ?? 0).toFixed(1)}s. ${verdictOf(journal)}`;
/** The id of the fault a fault activity's record held, if it has one. */
export function faultIdOf(r) {
    const id = r.activity.provider.type === 'fault' ? r.output?.id : undefined;
    return typeof id === 'string' ? id : undefined;
}
//# sourceMappingURL=progress-lines.js.map