export const realTimers = {
    now: () => Date.now(),
    setTimeout: (fn, ms) => setTimeout(fn, ms).unref(),
    clearTimeout: (handle) => clearTimeout(handle),
};
/** Resolves after `ms` on `timers`, or at once when `signal` aborts (a closing client never waits out a back-off). */
export function sleepOn(timers, ms, signal) {
    return new Promise((resolve) => {
        if (signal.aborted)
            return resolve();
        const done = () => {
            timers.clearTimeout(handle);
            signal.removeEventListener('abort', done);
            resolve();
        };
        const handle = timers.setTimeout(done, ms);
        signal.addEventListener('abort', done, { once: true });
    });
}
/**
 * The longest delay setTimeout honours (about 24.8 days); Node fires a
 * longer one after 1 ms. Waits longer than this are made in steps.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;
//# sourceMappingURL=timers.js.map