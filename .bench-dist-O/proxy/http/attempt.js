/**
 * One try of a call against one instance. A call may make several; each
 * layer below the retry layer holds on to the attempt it started with, so
 * an attempt that was given up (a per-try timeout, the client leaving) can
 * never act on a later one: its late response or error is dropped, its
 * upstream request is cut, and a fault sleeping inside it wakes up and stops.
 */
export class Attempt {
    n;
    endpoint;
    abandoned = false;
    /** Cuts the upstream request, once the forwarder has one under way. */
    cancel = undefined;
    /** Ends the forwarder's wait for this attempt; set by the forwarder. */
    settle = undefined;
    waiters = undefined;
    constructor(
    /** 0 for the first try, 1 for the first retry... */
    n, endpoint) {
        this.n = n;
        this.endpoint = endpoint;
    }
    /** Gives up on this attempt: the forwarder settles with `outcome` and the upstream request is cut. */
    abandon(outcome) {
        if (this.abandoned)
            return;
        this.abandoned = true;
        this.settle?.(outcome);
        this.cancel?.();
        const waiters = this.waiters;
        this.waiters = undefined;
        if (waiters)
            for (const wake of waiters)
                wake();
    }
    /** Calls `wake` when the attempt is abandoned; returns the function that cancels this. */
    onAbandon(wake) {
        (this.waiters ??= []).push(wake);
        return () => {
            const i = this.waiters?.indexOf(wake) ?? -1;
            if (i >= 0)
                this.waiters.splice(i, 1);
        };
    }
}
//# sourceMappingURL=attempt.js.map