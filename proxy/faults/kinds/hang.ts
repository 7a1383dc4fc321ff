import { discard, type Outcome } from '../../core/outcome.js';
import type { Call } from '../../http/call.js';
import type { FaultDeps, FaultKind } from './fault-kind.js';

/**
 * Never answers. The client's own timeout ends it (the proxy's upstream
 * timeout is told to stand aside), bounded by a maximum after which the
 * connection is closed.
 */
export const hangFault: FaultKind = {
  name: 'hang',
  build(rule, deps) {
    if (!rule.spec.hang) return undefined;
    if (rule.spec.phase === 'request') return () => (call) => hang(call, deps);
    return (next) => async (call) => {
      discard(await next(call));
      return hang(call, deps);
    };
  },
};

async function hang(call: Call, deps: FaultDeps): Promise<Outcome> {
  await deps.sleep(deps.maxHangMs, call);
  return { kind: 'drop', reason: 'FAULT_HANG_ENDED' };
}
