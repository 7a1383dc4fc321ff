import { discard } from '../../core/outcome.js';
/**
 * Never answers. The client's own timeout ends it (the proxy's upstream
 * timeout is told to stand aside), bounded by a maximum after which the
 * connection is closed.
 */
export const hangFault = {
    name: 'hang',
    build(rule, deps) {
        if (!rule.spec.hang)
            return undefined;
        if (rule.spec.phase === 'request')
            return () => (call) => hang(call, deps);
        return (next) => async (call) => {
            discard(await next(call));
            return hang(call, deps);
        };
    },
};
async function hang(call, deps) {
    await deps.sleep(deps.maxHangMs, call);
    return { kind: 'drop', reason: 'FAULT_HANG_ENDED' };
}
//# sourceMappingURL=hang.js.map