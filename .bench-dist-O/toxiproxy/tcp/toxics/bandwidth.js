import { HeldRun } from './held-run.js';
/** Toxiproxy sends a slow stream in pieces of 100 ms worth of its rate. */
const SLICE_MS = 100;
/**
 * Paces the bytes to `rate` KB/s (1 KB = 1000 bytes, as Toxiproxy counts:
 * `rate` bytes per ms). Each piece leaves once its time at the rate has
 * passed; the time is counted from when the previous piece was due, not
 * when its timer fired, so late timers do not lower the rate. An idle
 * stream earns no credit for a burst. Rate 0 passes nothing until the rate
 * changes or the toxic goes (Toxiproxy stalls too).
 */
export const bandwidthToxic = {
    type: 'bandwidth',
    attributes: { rate: { unit: 'KB/s' } },
    start(attributes, port) {
        let rate = attributes.rate ?? 0;
        const held = new HeldRun(port);
        const { queue } = held;
        let lastDue = -Infinity;
        const pump = () => {
            const head = queue.peek();
            if (held.timer !== undefined || !head || rate <= 0)
                return;
            const size = Math.min(head.chunk.length, Math.max(1, rate * SLICE_MS));
            const now = port.timers.now();
            const due = Math.max(now, lastDue) + size / rate;
            held.timer = port.timers.setTimeout(() => {
                held.timer = undefined;
                lastDue = due;
                port.forward(queue.takeFromHead(size));
                held.endIfDone();
                pump();
            }, due - now);
        };
        return held.run({
            write(chunk) {
                queue.push(chunk, undefined);
                pump();
            },
            update(next) {
                rate = next.rate ?? 0;
                // The piece in flight keeps its time; the new rate paces the rest.
                pump();
            },
        });
    },
};
//# sourceMappingURL=bandwidth.js.map