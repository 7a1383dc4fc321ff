import { discard } from '../../core/outcome.js';
import { DROPPED } from './fault-kind.js';
/** The connection closes with no response: before forwarding, or after the upstream answered. */
export const resetFault = {
    name: 'reset',
    build(rule) {
        if (!rule.spec.reset)
            return undefined;
        if (rule.spec.phase === 'request')
            return () => async () => DROPPED;
        return (next) => async (call) => {
            discard(await next(call));
            return DROPPED;
        };
    },
};
//# sourceMappingURL=reset.js.map