import { z } from 'zod';
import { formatDuration, MAX_WAIT_MS, secondsOrDurationUpTo } from '../../proxy/config/duration.js';
/**
 * When the rollbacks run, as Chaos Toolkit names it: `default` unless the run
 * was interrupted or a steady-state probe could not run, `always`, `never`,
 * `deviated` only when the steady state deviated.
 */
export const ROLLBACK_STRATEGIES = ['default', 'always', 'never', 'deviated'];
/**
 * When the steady-state hypothesis is checked, as Chaos Toolkit names it:
 * `default` before and after the method, the `-only` ones at that one time,
 * `continuously` before, after and every `frequency` during the method,
 * `skip` never.
 */
export const HYPOTHESIS_STRATEGIES = ['default', 'before-method-only', 'after-method-only', 'during-method-only', 'continuously', 'skip'];
const oneOf = (list) => `strategy is one of ${list.join(', ')}`;
/** Chaos Toolkit still takes its old misspelling, `continously`, for `continuously`. */
export const hypothesisStrategySchema = z
    .string({ error: oneOf(HYPOTHESIS_STRATEGIES) })
    .transform((s) => (s === 'continously' ? 'continuously' : s))
    .pipe(z.enum(HYPOTHESIS_STRATEGIES, { error: oneOf(HYPOTHESIS_STRATEGIES) }));
/** Seconds between two checks during the method (Chaos Toolkit's --hypothesis-frequency), or a duration string; ms once parsed. */
export const frequencySchema = secondsOrDurationUpTo(MAX_WAIT_MS).refine((ms) => ms > 0, 'frequency must be above 0');
/**
 * Chaos Toolkit's `runtime` block. Its file format has only the two
 * strategies; `frequency` and `fail_fast` are its command-line flags
 * (--hypothesis-frequency, --fail-fast), which faultmesh also reads here.
 */
export const runtimeSchema = z.strictObject({
    rollbacks: z.strictObject({ strategy: z.enum(ROLLBACK_STRATEGIES, { error: oneOf(ROLLBACK_STRATEGIES) }).optional() }).optional(),
    hypothesis: z
        .strictObject({
        strategy: hypothesisStrategySchema.optional(),
        frequency: frequencySchema.optional(),
        /** Stop the run at the first check during the method that is not met. */
        fail_fast: z.boolean().optional(),
    })
        .optional(),
});
/** Strategies that check the hypothesis while the method runs, and so take `steady-state-hypothesis.during` as their frequency. */
export const CHECKS_DURING = new Set(['during-method-only', 'continuously']);
/**
 * faultmesh's `steady-state-hypothesis.during: every 5s` is Chaos Toolkit's
 * `runtime.hypothesis: {strategy: continuously, frequency: 5}` spelled the
 * other way: either is accepted, and both together when they agree (a
 * strategy that checks during the method, the same frequency).
 */
export function checkRuntimeAgainstDuring(exp, ctx) {
    const duringMs = exp['steady-state-hypothesis']?.during;
    const hypothesis = exp.runtime?.hypothesis;
    if (duringMs === undefined || !hypothesis)
        return;
    const every = formatDuration(duringMs);
    if (hypothesis.strategy !== undefined && !CHECKS_DURING.has(hypothesis.strategy)) {
        ctx.addIssue({
            code: 'custom',
            path: ['steady-state-hypothesis', 'during'],
            message: `during checks the hypothesis every ${every} while the method runs, but runtime.hypothesis.strategy "${hypothesis.strategy}" does not check it then: remove one, or make the strategy continuously (or during-method-only)`,
        });
    }
    if (hypothesis.frequency !== undefined && hypothesis.frequency !== duringMs) {
        ctx.addIssue({
            code: 'custom',
            path: ['runtime', 'hypothesis', 'frequency'],
            message: `frequency ${formatDuration(hypothesis.frequency)} disagrees with steady-state-hypothesis.during (every ${every}): give the frequency in one place`,
        });
    }
}
//# sourceMappingURL=runtime-schema.js.map