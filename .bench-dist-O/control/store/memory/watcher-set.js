const keyOf = (e) => (e.type === 'put' ? e.kv.key : e.key);
/**
 * The memory store's live watches. Events are queued per watcher and handed
 * over on a microtask: never inside the write that made them (a watcher
 * cannot fail or reorder a write), batched when writes come in a burst,
 * and in order, each once, because every write queues before any delivery.
 */
export class WatcherSet {
    revision;
    watchers = new Set();
    constructor(revision) {
        this.revision = revision;
    }
    /** Starts a watch with `replay` (the history it missed) queued. Returns its stop function. */
    add(prefix, replay, onEvents, onError) {
        const watcher = { prefix, onEvents, onError, pending: replay, scheduled: false, stopped: false };
        this.watchers.add(watcher);
        if (replay.length)
            this.schedule(watcher);
        return () => {
            watcher.stopped = true;
            this.watchers.delete(watcher);
        };
    }
    deliver(events) {
        for (const watcher of this.watchers) {
            let any = false;
            for (const e of events) {
                if (keyOf(e).startsWith(watcher.prefix)) {
                    watcher.pending.push(e);
                    any = true;
                }
            }
            if (any)
                this.schedule(watcher);
        }
    }
    /** Ends every watch, telling those that listen for errors why. */
    closeAll(error) {
        for (const watcher of this.watchers) {
            watcher.stopped = true;
            const { onError } = watcher;
            if (onError)
                queueMicrotask(() => onError(error));
        }
        this.watchers.clear();
    }
    schedule(watcher) {
        if (watcher.scheduled)
            return;
        watcher.scheduled = true;
        queueMicrotask(() => {
            watcher.scheduled = false;
            if (watcher.stopped || watcher.pending.length === 0)
                return;
            const events = watcher.pending;
            watcher.pending = [];
            watcher.onEvents(events, this.revision());
        });
    }
}
//# sourceMappingURL=watcher-set.js.map