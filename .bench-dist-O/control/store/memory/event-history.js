/** How many events the memory store keeps for watches that resume from a past revision. */
export const DEFAULT_HISTORY_EVENTS = 10_000;
const revisionOf = (e) => (e.type === 'put' ? e.kv.modRevision : e.modRevision);
const keyOf = (e) => (e.type === 'put' ? e.kv.key : e.key);
/**
 * The last `limit` events, oldest first, for watch-from-revision. Older
 * ones are dropped (compacted); `compactedThrough` is the highest revision
 * whose events may be incomplete, so a watch from below it cannot resume.
 */
export class EventHistory {
    limit;
    compactedThrough;
    events = [];
    /** Index of the oldest kept event: dropping is a counter move, the array is cut now and then. */
    start = 0;
    constructor(limit, 
    /** A store read back from a snapshot has no history of how it got there. */
    compactedThrough) {
        this.limit = limit;
        this.compactedThrough = compactedThrough;
        if (!Number.isSafeInteger(limit) || limit < 1)
            throw new RangeError(`the history must hold at least one event, not ${limit}`);
    }
    append(events) {
        this.events.push(...events);
        while (this.events.length - this.start > this.limit) {
            this.compactedThrough = Math.max(this.compactedThrough, revisionOf(this.events[this.start]));
            this.start += 1;
        }
        if (this.start > this.limit) {
            this.events = this.events.slice(this.start);
            this.start = 0;
        }
    }
    /** Drops every event at or below `revision` (as etcd's compact does). */
    compact(revision) {
        while (this.start < this.events.length && revisionOf(this.events[this.start]) <= revision)
            this.start += 1;
        this.compactedThrough = Math.max(this.compactedThrough, revision);
    }
    /** True when every event after `revision` is still here. */
    holds(revision) {
        return revision >= this.compactedThrough;
    }
    /** Kept events after `revision` whose key starts with `prefix`, oldest first. */
    after(revision, prefix) {
        // Binary search for the first event past `revision`: the history is in revision order.
        let lo = this.start;
        let hi = this.events.length;
        while (lo < hi) {
            const mid = (lo + hi) >>> 1;
            if (revisionOf(this.events[mid]) <= revision)
                lo = mid + 1;
            else
                hi = mid;
        }
        const out = [];
        for (let i = lo; i < this.events.length; i++)
            if (keyOf(this.events[i]).startsWith(prefix))
                out.push(this.events[i]);
        return out;
    }
}
//# sourceMappingURL=event-history.js.map