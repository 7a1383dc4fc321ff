import type { Handler, Layer } from './http/call.js';
import { balance } from './layers/balance.js';
import { resolveService } from './layers/resolve-service.js';
import { route } from './layers/route.js';
import { timeout } from './layers/timeout.js';
import type { MeshTable } from './routing/mesh-table.js';

export interface StackDeps {
  readonly table: () => MeshTable;
  readonly forward: Handler;
  readonly timeoutMs: number;
  readonly faults: Layer;
}

/**
 * The order of concerns for every proxied call, outermost first. This is the
 * one place to read it; each layer is a function of the next.
 *
 *   resolve service → route → balance → timeout → faults → forward
 *
 * Faults sit after the balancer (so they can aim at the chosen instance) and
 * inside the timeout (so an injected delay times out like a slow instance);
 * the retry layer will wrap balance, so each attempt is judged afresh.
 */
export function buildStack(deps: StackDeps): Handler {
  return resolveService(deps.table)(
    route(
      balance(
        timeout(deps.timeoutMs)(
          deps.faults(
            deps.forward,
          ),
        ),
      ),
    ),
  );
}
