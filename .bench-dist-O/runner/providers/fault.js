import { formatDuration } from '../../proxy/config/duration.js';
import { sleep } from '../sleep.js';
/** Who no longer held a lost fault: through a control plane, no single proxy is to blame. */
function droppedBy(record) {
    const { admin, cause } = record.lost;
    return record.controls?.includes(admin) ? `the control plane ${admin} no longer held it (${cause})` : `a proxy dropped it (${admin}: ${cause})`;
}
/**
 * Injects a rule into every proxy listed, holds it for `duration` (the
 * ledger renews its short lease meanwhile), then removes it. Interrupted,
 * it removes the rule at once and says so.
 */
export async function runFault(p, ctx) {
    if (ctx.signal.aborted)
        throw new Error('interrupted before the fault was injected');
    const record = await ctx.ledger.inject(ctx.activity, p.admin, p.rule, p.token);
    const heldFull = await sleep(p.duration, ctx.signal);
    await ctx.ledger.release(record);
    const output = { id: record.id, admins: record.admins, ...(record.appliedBy ? { appliedBy: record.appliedBy } : {}), heldMs: record.heldMs, state: record.state, counts: record.counts, countedUntil: record.countedUntil, errors: record.errors };
    const held = `the fault held ${((record.heldMs ?? 0) / 1000).toFixed(1)}s of ${formatDuration(p.duration)}`;
    // A fault a proxy dropped did not hold its window, even when the run was not stopped in time to see it.
    if (record.state === 'lost')
        throw Object.assign(new Error(`${held}, then ${droppedBy(record)}`), { output });
    if (!heldFull)
        throw Object.assign(new Error(`${held} when the run was stopped, then was removed`), { output });
    return output;
}
//# sourceMappingURL=fault.js.map