export const PROBE_EVERY_MS = 1_000;
/** Consecutive failed probes before the replica calls itself unhealthy: one slow answer during an etcd leader election is not an outage. */
export const FAILURES_TO_UNHEALTHY = 2;
/**
 * Whether this replica can reach its shared store, from a read every
 * second with its own deadline. The control plane answers /healthz 503,
 * refuses writes and proxy streams while it is unhealthy (so proxies and
 * clients go to a replica that can), and ends the streams it has when it
 * turns unhealthy.
 */
export class StoreHealth {
    store;
    timers;
    everyMs;
    current;
    failures = 0;
    timer;
    stopped = false;
    listeners = new Set();
    constructor(store, timers, everyMs = PROBE_EVERY_MS) {
        this.store = store;
        this.timers = timers;
        this.everyMs = everyMs;
        this.current = { ok: true, since: timers.now() };
    }
    get state() {
        return this.current;
    }
    onChange(listener) {
        this.listeners.add(listener);
        return () => this.listeners.delete(listener);
    }
    start() {
        this.schedule();
    }
    stop() {
        this.stopped = true;
        this.timers.clearTimeout(this.timer);
    }
    schedule() {
        if (this.stopped)
            return;
        this.timer = this.timers.setTimeout(() => void this.probe().finally(() => this.schedule()), this.everyMs);
        this.timer.unref?.();
    }
    async probe() {
        let error;
        let deadline;
        try {
            await Promise.race([
                this.store.revision(),
                new Promise((_, reject) => (deadline = this.timers.setTimeout(() => reject(new Error(`no answer within ${this.everyMs * 2} ms`)), this.everyMs * 2))),
            ]);
        }
        catch (err) {
            error = err.message;
        }
        finally {
            this.timers.clearTimeout(deadline);
        }
        if (this.stopped)
            return;
        if (error === undefined) {
            this.failures = 0;
            if (!this.current.ok)
                this.set({ ok: true, since: this.timers.now() });
        }
        else if (++this.failures >= FAILURES_TO_UNHEALTHY) {
            if (this.current.ok)
                this.set({ ok: false, since: this.timers.now(), error });
            else
                this.current = { ...this.current, error };
        }
    }
    set(state) {
        this.current = state;
        for (const listener of this.listeners)
            listener(state);
    }
}
//# sourceMappingURL=store-health.js.map