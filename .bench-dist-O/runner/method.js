import { judgedSummary, runActivity } from './activity.js';
import { repeatUntil } from './checks-loop.js';
import { NO_CONTROLS } from './controls/run-controls.js';
import { checkHypothesis } from './hypothesis.js';
/**
 * The method: its activities in order (background ones alongside), while
 * safeguards and, if asked, the hypothesis are checked on their own clocks.
 * As in chaoslib, an activity that fails is recorded and the next one runs;
 * a safeguard that fails, or a fault that cannot be injected, stops the run;
 * the caller reverts.
 */
export async function runMethod(exp, ctx) {
    const { journal, events } = ctx;
    const controls = ctx.controls ?? NO_CONTROLS;
    await controls.before({ level: 'method' }, ctx.signal);
    const done = new AbortController();
    const stop = AbortSignal.any([done.signal, ctx.signal]);
    const checkCtx = { ...ctx, signal: stop };
    const loops = exp.safeguards.map((guard) => repeatUntil(ctx.safeguardEveryMs, stop, async () => {
        events.activityStarted?.(guard, 'safeguard');
        const record = await runActivity(guard, 'safeguard', checkCtx);
        if (record.status === 'interrupted')
            return false;
        journal.safeguards.push(record);
        events.activityEnded?.(record);
        if (record.status === 'succeeded' && record.tolerance_met)
            return true;
        const value = record.status === 'failed' ? `failed: ${record.error}` : `returned ${judgedSummary(record)}, outside its tolerance (${record.tolerance})`;
        ctx.stop({ kind: 'safeguard', message: `safeguard "${guard.name}" ${value}` });
        return false;
    }));
    const during = ctx.hypothesisPlan?.during;
    if (exp.hypothesis && during) {
        const probes = exp.hypothesis.probes;
        loops.push(repeatUntil(during.everyMs, stop, async () => {
            const record = await checkHypothesis(probes, checkCtx, events, exp.hypothesis);
            if (stop.aborted)
                return false;
            journal.steady_states.during.push(record);
            if (!record.met)
                journal.deviated = true;
            events.hypothesisChecked?.('during', record);
            ctx.save();
            // Chaos Toolkit's fail_fast: the first check not met ends the run (which reverts), instead of a deviation found at the end.
            if (!record.met && during.failFast)
                ctx.stop({ kind: 'failed', message: 'the steady state was not met during the method, and fail_fast stops the run at the first such check' });
            return record.met || !during.failFast;
        }, 
        // Just checked before the method, the first check during it waits a period; without that check (during-method-only) it starts at once, as Chaos Toolkit's does.
        ctx.hypothesisPlan?.before !== false));
    }
    const background = [];
    // Records arrive as activities end; chaoslib lists them in method order (it appends each one as it starts), background ones included.
    const placed = [];
    const place = (index, record) => {
        const at = placed.findIndex((i) => i > index);
        const where = at < 0 ? placed.length : at;
        placed.splice(where, 0, index);
        journal.run.splice(where, 0, record);
    };
    try {
        for (const [index, activity] of exp.method.entries()) {
            if (ctx.signal.aborted)
                break;
            events.activityStarted?.(activity, 'method');
            const running = runActivity(activity, 'method', ctx).then((record) => {
                place(index, record);
                events.activityEnded?.(record);
                ctx.save();
                // Without its fault the run tests nothing, so it stops; chaoslib has no such provider, and goes on after any other failure.
                if (record.status === 'failed' && activity.provider.type === 'fault')
                    ctx.stop({ kind: 'failed', message: `fault activity "${activity.name}" failed, so the run stops (nothing was tested with that fault): ${record.error}` });
            });
            if (activity.background)
                background.push(running);
            else
                await running;
        }
        await Promise.all(background);
    }
    finally {
        done.abort();
        await Promise.all(loops);
        await controls.after({ level: 'method' }, journal.run, ctx.signal);
    }
}
//# sourceMappingURL=method.js.map