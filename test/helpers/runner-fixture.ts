import { FaultLedger } from '../../runner/fault-ledger.js';
import type { ProviderContext } from '../../runner/providers/provider-context.js';
import { TOKEN } from './fault-fixture.js';

/** A provider context on a fresh ledger; `controller` interrupts whatever runs under it. */
export function providerContext(activity = 'test', leaseMs = 2000) {
  const controller = new AbortController();
  const ledger = new FaultLedger({ runId: 'test', leaseMs, token: TOKEN, events: {}, now: Date.now });
  const ctx: ProviderContext = { signal: controller.signal, ledger, activity };
  return { ctx, controller, ledger };
}
