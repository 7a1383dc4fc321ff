import { setTimeout as delay } from 'node:timers/promises';
import { timerMs } from '../proxy/config/duration.js';
/** Waits `ms`, or less if `signal` aborts; resolves false when cut short. Throws only for a wait Node cannot arm (a value that skipped validation). */
export async function sleep(ms, signal) {
    if (signal?.aborted)
        return false;
    // Outside the try: a wait Node cannot arm is a bug to surface, not a sleep cut short.
    timerMs(ms);
    try {
        await delay(ms, undefined, { signal });
        return true;
    }
    catch {
        return false;
    }
}
//# sourceMappingURL=sleep.js.map