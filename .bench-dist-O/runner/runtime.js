import { formatDuration } from '../proxy/config/duration.js';
import { CHECKS_DURING } from './experiment/runtime-schema.js';
/** Chaos Toolkit's frequency when none is given: a check every second. */
const DEFAULT_EVERY_MS = 1000;
/**
 * The hypothesis strategy of a run: the flag, else the file's
 * `runtime.hypothesis.strategy`, else `continuously` when the file has
 * `steady-state-hypothesis.during`, else `default`. The frequency comes the
 * same way (flag, `runtime.hypothesis.frequency`, `during`, 1 s).
 */
export function hypothesisPlan(exp, flags = {}) {
    const file = exp.runtime.hypothesis;
    const duringMs = exp.hypothesis?.duringMs;
    const strategy = flags.hypothesisStrategy ?? file?.strategy ?? (duringMs !== undefined ? 'continuously' : 'default');
    const everyMs = flags.hypothesisEveryMs ?? file?.frequency ?? duringMs ?? DEFAULT_EVERY_MS;
    const failFast = flags.failFast ?? file?.fail_fast ?? false;
    return {
        strategy,
        before: strategy === 'default' || strategy === 'before-method-only' || strategy === 'continuously',
        after: strategy === 'default' || strategy === 'after-method-only' || strategy === 'continuously',
        during: CHECKS_DURING.has(strategy) ? { everyMs, failFast } : undefined,
    };
}
/** The rollback strategy of a run: the flag, else the file's, else `always` (faultmesh's default; Chaos Toolkit's is `default`). */
export const rollbackStrategyOf = (exp, flags = {}) => flags.rollbackStrategy ?? exp.runtime.rollbacks?.strategy ?? 'always';
/**
 * Why the rollbacks do not run, or undefined when they do. `default` is
 * Chaos Toolkit's: not when the run was interrupted, nor when it failed in
 * Chaos Toolkit's sense (a steady-state probe could not run, or the
 * hypothesis failed fast); a deviation, a safeguard's abort or an activity
 * that failed still rolls back. The words follow "No rollback ran: ".
 */
export function rollbacksSkippedBecause(strategy, journal, reason, plan) {
    switch (strategy) {
        case 'always':
            return undefined;
        case 'never':
            return 'strategy never';
        case 'deviated':
            return journal.deviated ? undefined : 'strategy deviated, and the steady state did not deviate';
        case 'default': {
            if (reason?.kind === 'interrupted')
                return 'strategy default, and the run was interrupted';
            const { before, after, during } = journal.steady_states;
            const failed = [before, after].flatMap((h) => h?.probes.filter((p) => p.status === 'failed') ?? [])[0];
            if (failed)
                return `strategy default, and steady-state probe "${failed.activity.name}" could not run`;
            if (plan.during?.failFast === true && during.some((h) => !h.met))
                return 'strategy default, and the hypothesis failed fast';
            return undefined;
        }
    }
}
/** Whether the rollbacks run (see rollbacksSkippedBecause). */
export const shouldRollBack = (...args) => rollbacksSkippedBecause(...args) === undefined;
const ROLLBACK_WORDS = {
    always: 'whatever happens',
    never: 'never',
    deviated: 'only if the steady state deviates',
    default: 'unless the run is interrupted, a steady-state probe cannot run, or the hypothesis fails fast',
};
/** The strategies in words, for the dry-run plan: `checked before and after the method`, `run whatever happens`. */
export function describeRuntime(plan, rollbacks) {
    const every = plan.during ? `every ${formatDuration(plan.during.everyMs)}` : '';
    const failFast = plan.during?.failFast ? ' (the first check not met stops the run)' : '';
    const times = [plan.before ? 'before' : '', plan.after ? 'after' : ''].filter(Boolean).join(' and ');
    let hypothesis = `checked ${times} the method${every ? ` and ${every} during it${failFast}` : ''}`;
    if (plan.strategy === 'skip')
        hypothesis = 'not checked (strategy skip)';
    else if (!times)
        hypothesis = `checked only ${every} during the method${failFast}`;
    return { hypothesis, rollbacks: `${rollbacks}: ${rollbacks === 'never' ? 'not run' : `run ${ROLLBACK_WORDS[rollbacks]}`}` };
}
//# sourceMappingURL=runtime.js.map