/**
 * A FIFO of chunks and what each carries (a due time, nothing), with the
 * byte count the link's backpressure reads. Toxics that hold data keep it
 * here, so held() is always the truth.
 */
export class HeldBytes {
    items = [];
    head = 0;
    count = 0;
    get bytes() {
        return this.count;
    }
    get empty() {
        return this.head === this.items.length;
    }
    push(chunk, tag) {
        this.items.push({ chunk, tag });
        this.count += chunk.length;
    }
    peek() {
        return this.items[this.head];
    }
    shift() {
        const item = this.items[this.head];
        if (!item)
            return undefined;
        this.items[this.head++] = undefined;
        // Compact now and then instead of Array.shift on every chunk (O(n) each).
        if (this.head > 64 && this.head * 2 > this.items.length) {
            this.items.splice(0, this.head);
            this.head = 0;
        }
        this.count -= item.chunk.length;
        return item.chunk;
    }
    /** Replaces the first chunk by what is left of it after `n` bytes were taken. */
    takeFromHead(n) {
        const item = this.items[this.head];
        if (n >= item.chunk.length)
            return this.shift();
        const taken = item.chunk.subarray(0, n);
        item.chunk = item.chunk.subarray(n);
        this.count -= n;
        return taken;
    }
    /** Empties the queue, calling `each` on every chunk in order. */
    drain(each) {
        for (let c = this.shift(); c; c = this.shift())
            each(c);
    }
}
//# sourceMappingURL=held-bytes.js.map