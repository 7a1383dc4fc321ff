import { HeldRun } from './held-run.js';
/**
 * Cuts every chunk into pieces of `average_size` ± `size_variation` bytes
 * (the last piece of a chunk is what remains) and waits `delay`
 * MICROseconds after each piece, as a slow network would deliver them.
 * Timers have millisecond steps, so a delay under 1000 µs waits about 1 ms;
 * 0 sends the pieces back to back (the kernel may join them again).
 */
export const slicerToxic = {
    type: 'slicer',
    attributes: { average_size: { unit: 'bytes', min: 1, required: true }, size_variation: { unit: 'bytes' }, delay: { unit: 'µs' } },
    check(a) {
        if (a.size_variation >= a.average_size)
            return { attribute: 'size_variation', message: `must be smaller than average_size (${a.average_size}), or a piece could be empty` };
        return undefined;
    },
    start(attributes, port) {
        let a = attributes;
        const held = new HeldRun(port);
        const { queue } = held;
        const pump = () => {
            held.timer = undefined;
            const piece = queue.shift();
            if (piece) {
                port.forward(piece);
                held.timer = port.timers.setTimeout(pump, a.delay / 1000);
            }
            held.endIfDone();
        };
        return held.run({
            write(chunk) {
                const pieces = slices(chunk, a.average_size, a.size_variation, port.random);
                if (a.delay === 0 && held.timer === undefined)
                    return pieces.forEach(port.forward);
                for (const p of pieces)
                    queue.push(p, undefined);
                if (held.timer === undefined)
                    pump();
            },
            update(next) {
                a = next;
            },
        });
    },
};
/** Pieces of `average` ± `variation` bytes over `chunk`, no copy; the last one is the rest (1 to average + variation bytes). */
export function slices(chunk, average, variation, random) {
    const out = [];
    let at = 0;
    while (chunk.length - at > average + variation) {
        const size = average + (variation > 0 ? Math.floor(random() * (2 * variation + 1)) - variation : 0);
        out.push(chunk.subarray(at, at + size));
        at += size;
    }
    if (at < chunk.length)
        out.push(chunk.subarray(at));
    return out;
}
//# sourceMappingURL=slicer.js.map