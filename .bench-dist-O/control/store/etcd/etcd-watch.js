import { StoreError } from '../store.js';
import { storeErrorOf } from './etcd-errors.js';
/**
 * One Store watch on an etcd watcher. The library reconnects a lost watch
 * by itself, resuming from the revision after the last response's header;
 * but a header names the store's revision, not the last event's, so a
 * reconnection in the middle of a replay would skip events. This watch
 * tracks the last revision it delivered, resumes from the one after it,
 * and drops any event it has already delivered.
 */
export function etcdWatch(ctx, prefix, fromRevision, onEvents, onError) {
    let delivered = fromRevision;
    let stopped = false;
    let watcher;
    const end = (err) => {
        if (stopped)
            return;
        stopped = true;
        void watcher?.cancel().catch(() => { });
        onError?.(err);
    };
    const resumeAfterDelivered = () => {
        if (watcher)
            watcher.request.start_revision = String(delivered + 1);
    };
    ctx.client
        .watch()
        .prefix(ctx.root + prefix)
        .startRevision(String(fromRevision + 1))
        .create()
        .then((w) => {
        watcher = w;
        if (stopped)
            return void w.cancel().catch(() => { });
        w.on('connected', resumeAfterDelivered);
        w.on('data', (res) => {
            if (stopped)
                return;
            const events = [];
            // One revision's events always come in one response, so "after the last delivered revision" is exact.
            const before = delivered;
            for (const e of res.events) {
                const rev = Number(e.kv.mod_revision);
                if (rev <= before)
                    continue;
                const key = e.kv.key.toString().slice(ctx.root.length);
                events.push(e.type === 'Put' ? { type: 'put', kv: ctx.toKeyValue(e.kv) } : { type: 'delete', key, modRevision: rev });
            }
            const last = events.at(-1);
            if (last)
                delivered = last.type === 'put' ? last.kv.modRevision : last.modRevision;
            resumeAfterDelivered();
            if (events.length)
                onEvents(events, Math.max(delivered, Number(res.header.revision)));
        });
        // etcd cancels a watch on compacted history with an empty reason; the library passes on only that, so ask etcd whether the history is still there.
        w.on('error', (err) => void compactedSince(ctx, delivered).then((compacted) => end(compacted ? new StoreError('COMPACTED', `revision ${delivered} is no longer in etcd's history: list again and watch from that revision`) : storeErrorOf(err, ctx.where))));
    }, (err) => end(storeErrorOf(err, ctx.where)));
    return {
        stop: () => {
            stopped = true;
            void watcher?.cancel().catch(() => { });
        },
        end,
    };
}
/** True when etcd can no longer read the store as of the revision after `delivered` (compacted away). */
async function compactedSince(ctx, delivered) {
    try {
        await ctx.client.kv.range({ key: Buffer.from(ctx.root), revision: delivered + 1, count_only: true });
        return false;
    }
    catch (err) {
        return /compacted/i.test(err.message);
    }
}
//# sourceMappingURL=etcd-watch.js.map