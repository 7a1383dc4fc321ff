import { setTimer } from '../config/duration.js';
/**
 * Waits `ms`, or less if the call's response closes first (the client left,
 * or a timeout already answered it) or the attempt in flight is given up
 * (a per-try timeout): a fault never outlives its request or its attempt.
 * An attempt that was already over when the wait began (a retry's back-off
 * follows one) does not cut it short.
 */
export function sleepWhileOpen(ms, call) {
    const res = call.res;
    if (res.destroyed || res.writableEnded)
        return Promise.resolve();
    const attempt = call.attempt?.abandoned === false ? call.attempt : undefined;
    return new Promise((resolve) => {
        const done = () => {
            clearTimeout(timer);
            res.off('close', done);
            cancel?.();
            resolve();
        };
        const timer = setTimer(done, ms);
        res.once('close', done);
        const cancel = attempt?.onAbandon(done);
    });
}
//# sourceMappingURL=sleep.js.map