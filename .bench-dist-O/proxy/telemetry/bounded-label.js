/**
 * Keeps a metric label's values to a fixed number: the first `limit` distinct
 * values are kept, later ones become "other". Callers name the source in a
 * header, so without a bound a client could grow the registry without end.
 */
export class BoundedLabel {
    limit;
    seen = new Set();
    constructor(limit) {
        this.limit = limit;
    }
    value(v) {
        if (this.seen.has(v))
            return v;
        if (this.seen.size >= this.limit)
            return 'other';
        this.seen.add(v);
        return v;
    }
}
//# sourceMappingURL=bounded-label.js.map