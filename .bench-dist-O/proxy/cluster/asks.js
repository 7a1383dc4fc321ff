/**
 * Questions the primary asks several workers at once (counts, metrics):
 * each resolves with the answers that came, once every asked worker
 * answered, died, or `ms` passed. A slow worker costs a bounded wait, never
 * a hung admin request.
 */
export class Asks {
    next = 0;
    open = new Map();
    ask(who, ms, send) {
        const id = this.next++;
        return new Promise((resolve) => {
            const entry = {
                waiting: new Set(who),
                replies: new Map(),
                finish: () => {
                    clearTimeout(timer);
                    this.open.delete(id);
                    resolve(entry.replies);
                },
            };
            const timer = setTimeout(entry.finish, ms);
            this.open.set(id, entry);
            if (entry.waiting.size === 0)
                return entry.finish();
            for (const w of who)
                send(w, id);
        });
    }
    answer(id, from, reply) {
        const entry = this.open.get(id);
        if (!entry || !entry.waiting.delete(from))
            return;
        entry.replies.set(from, reply);
        if (entry.waiting.size === 0)
            entry.finish();
    }
    /** `who` died: nothing more to wait for from it. */
    forget(who) {
        for (const entry of this.open.values())
            if (entry.waiting.delete(who) && entry.waiting.size === 0)
                entry.finish();
    }
}
//# sourceMappingURL=asks.js.map