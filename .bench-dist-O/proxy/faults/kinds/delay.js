import { discard } from '../../core/outcome.js';
import { isGivenUp } from './fault-kind.js';
/**
 * Latency. Request phase: wait, then forward (a timeout above still fires,
 * as it would for a slow instance). Response phase: forward, then hold the
 * answer back.
 */
export const delayFault = {
    name: 'delay',
    build(rule, deps) {
        const spec = rule.spec.delay;
        if (!spec)
            return undefined;
        const draw = () => drawDelay(spec, rule.random);
        if (rule.spec.phase === 'request') {
            return (next) => async (call) => {
                const attempt = call.attempt;
                await deps.sleep(draw(), call);
                if (isGivenUp(call, attempt))
                    return { kind: 'drop', reason: 'ABANDONED_DURING_DELAY' };
                return next(call);
            };
        }
        return (next) => async (call) => {
            const attempt = call.attempt;
            const outcome = await next(call);
            await deps.sleep(draw(), call);
            if (isGivenUp(call, attempt)) {
                discard(outcome);
                return { kind: 'drop', reason: 'ABANDONED_DURING_DELAY' };
            }
            return outcome;
        };
    },
};
/** Draws one delay in ms: fixed, uniform between min and max, or normal (never below 0). */
export function drawDelay(spec, random) {
    switch (spec.form) {
        case 'fixed':
            return spec.ms;
        case 'uniform':
            return spec.minMs + random() * (spec.maxMs - spec.minMs);
        case 'normal': {
            // Box-Muller on the rule's own stream, so a seeded rule replays its delays too.
            const u = 1 - random();
            const v = random();
            return Math.max(0, spec.meanMs + spec.stddevMs * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v));
        }
    }
}
//# sourceMappingURL=delay.js.map