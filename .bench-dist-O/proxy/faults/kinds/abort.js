import { faultAbort } from '../../errors.js';
import { discard } from '../../core/outcome.js';
/** An HTTP error answered by the proxy: before forwarding, or in place of the upstream's answer. */
export const abortFault = {
    name: 'abort',
    build(rule) {
        const spec = rule.spec.abort;
        if (!spec)
            return undefined;
        const error = () => faultAbort(rule.id, spec.status, spec.body, spec.headers);
        if (rule.spec.phase === 'request')
            return () => async () => ({ kind: 'error', error: error() });
        return (next) => async (call) => {
            discard(await next(call));
            return { kind: 'error', error: error() };
        };
    },
};
//# sourceMappingURL=abort.js.map