import { runActivity } from './activity.js';
import { NO_CONTROLS } from './controls/run-controls.js';
/**
 * Checks the steady state: probes in order, stopping at the first one that
 * fails or falls outside its tolerance, as Chaos Toolkit does. With the
 * hypothesis given, its controls' hypothesis hooks run around the check
 * (the after hook gets the record, `steady_state_met` as chaoslib has it).
 */
export async function checkHypothesis(probes, ctx, events, hypothesis) {
    const controls = hypothesis ? (ctx.controls ?? NO_CONTROLS) : NO_CONTROLS;
    const point = hypothesis && { level: 'hypothesis', hypothesis };
    if (point)
        await controls.before(point, ctx.signal);
    const record = await probeInTurn(probes, ctx, events);
    if (point)
        await controls.after(point, { steady_state_met: record.met, ...record }, ctx.signal);
    return record;
}
async function probeInTurn(probes, ctx, events) {
    const at = new Date(ctx.now()).toISOString();
    const records = [];
    for (const probe of probes) {
        events.activityStarted?.(probe, 'hypothesis');
        const record = await runActivity(probe, 'hypothesis', ctx);
        // Cut short by the end of the method or an abort: a partial check decides nothing.
        if (ctx.signal.aborted)
            return { at, met: false, probes: [...records, record] };
        events.activityEnded?.(record);
        records.push(record);
        if (record.status !== 'succeeded' || !record.tolerance_met)
            return { at, met: false, probes: records };
    }
    return { at, met: true, probes: records };
}
//# sourceMappingURL=hypothesis.js.map