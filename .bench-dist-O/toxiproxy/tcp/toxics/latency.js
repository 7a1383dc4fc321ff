import { HeldRun } from './held-run.js';
/**
 * Delays every chunk by `latency` ± `jitter` ms from when it reached the
 * toxic. Chunks stay in order: one drawn shorter than the one before waits
 * for it (Toxiproxy's single goroutine does the same). Many chunks are in
 * flight at once, so a long latency does not cap the throughput.
 */
export const latencyToxic = {
    type: 'latency',
    attributes: { latency: { unit: 'ms' }, jitter: { unit: 'ms' } },
    start(attributes, port) {
        let { latency = 0, jitter = 0 } = attributes;
        const held = new HeldRun(port);
        const { queue } = held;
        let lastDue = -Infinity;
        // Toxiproxy's rand.Int63n(2*jitter) - jitter: a whole ms in [-jitter, jitter).
        const draw = () => latency + (jitter > 0 ? Math.floor(port.random() * 2 * jitter) - jitter : 0);
        const schedule = () => {
            const next = queue.peek();
            if (held.timer !== undefined || !next)
                return;
            held.timer = port.timers.setTimeout(deliver, Math.max(0, next.tag - port.timers.now()));
        };
        const deliver = () => {
            held.timer = undefined;
            // The timer was set for the head's time: trust it over a millisecond clock that may read 1 ms short.
            port.forward(queue.shift());
            const now = port.timers.now();
            for (let next = queue.peek(); next && next.tag <= now; next = queue.peek())
                port.forward(queue.shift());
            held.endIfDone();
            schedule();
        };
        return held.run({
            write(chunk) {
                lastDue = Math.max(port.timers.now() + draw(), lastDue);
                queue.push(chunk, lastDue);
                schedule();
            },
            update(next) {
                ({ latency = 0, jitter = 0 } = next);
            },
        });
    },
};
//# sourceMappingURL=latency.js.map