import { MAX_SPAN_MS } from '../../proxy/config/duration.js';
import { runLoad } from '../providers/load.js';
/**
 * The canary file's own traffic, sent until `signal` aborts: for services
 * whose real traffic is too low to judge on in a step. The load provider
 * runs in one long span; it stops promptly when the canary ends.
 */
export async function backgroundLoad(load, service, signal, error) {
    while (!signal.aborted) {
        try {
            await runLoad({ type: 'load', ...load, target: service, duration: MAX_SPAN_MS }, { signal });
        }
        catch (err) {
            if (signal.aborted)
                return;
            error(`the canary's load stopped: ${err.message}`);
            return;
        }
    }
}
//# sourceMappingURL=load.js.map