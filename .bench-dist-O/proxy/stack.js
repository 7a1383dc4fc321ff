import { chooseInstance } from './layers/choose-instance.js';
import { resolveService } from './layers/resolve-service.js';
import { retry } from './layers/retry.js';
import { route } from './layers/route.js';
import { telemetry } from './layers/telemetry.js';
import { perTryTimeout, timeout } from './layers/timeout.js';
/**
 * The order of concerns for every proxied call, outermost first. This is the
 * one place to read it; each layer is a function of the next.
 *
 *   telemetry → tracing → resolve service → route → timeout → retry
 *     → per attempt: choose instance → per-try timeout → faults → forward
 *
 * Telemetry sees the call once, with its final answer; tracing, inside
 * it, spans the whole call (a refusal to route included) and ends after
 * telemetry has recorded it. The service and
 * route come before the timeout because the policy belongs to the service.
 * The overall timeout wraps the retries, so retrying never stretches the
 * caller's wait. Each attempt chooses its instance afresh (avoiding the one
 * that just failed) and is judged on its own. Faults sit after the choice
 * (so they can aim at the chosen instance) and inside the per-try timeout
 * (so an injected delay times out like a slow instance, and is retried
 * like one).
 */
export function buildStack(deps) {
    return telemetry(deps.record)(deps.tracing(resolveService(deps.table)(route(timeout(deps.timeoutMs)(retry(deps.retry)(chooseInstance(deps.choose)(perTryTimeout(deps.faults(deps.forward)))))))));
}
//# sourceMappingURL=stack.js.map