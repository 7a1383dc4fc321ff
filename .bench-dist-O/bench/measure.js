import { withPeakRss } from './memory.js';
import { median } from './print.js';
export const urlOf = (t) => `http://127.0.0.1:${t.port}/`;
/**
 * Runs every target once per round, rotating the order so that none always
 * runs first or last, and keeps the median of each figure.
 */
export async function interleave(targets, rounds, run) {
    const results = new Map(targets.map((t) => [t.name, []]));
    for (let round = 0; round < rounds; round++) {
        for (let i = 0; i < targets.length; i++) {
            const t = targets[(i + round) % targets.length];
            results.get(t.name).push(await run(t));
        }
    }
    return new Map([...results].map(([name, rs]) => [
        name,
        {
            rps: median(rs.map((r) => r.rps)),
            p50: median(rs.map((r) => r.p50)),
            p99: median(rs.map((r) => r.p99)),
            errors: rs.reduce((n, r) => n + r.errors, 0),
            cpuUs: median(rs.map((r) => r.cpuUs ?? Number.NaN)),
            peakRssMiB: Math.max(...rs.map((r) => r.peakRssMiB ?? Number.NaN)),
        },
    ]));
}
/** A closed-loop run that also samples the target's peak RSS while it lasts. */
export function closedWithRss(load, connections, seconds) {
    return async (t) => {
        const { result, peakRssMiB } = await withPeakRss(t.process.proc.pid, () => load(urlOf(t), t.host, connections, seconds));
        return { ...result, peakRssMiB };
    };
}
/** An open-loop run at `rate` that also gives the target's CPU per request (its whole process tree). */
export function openWithCpu(openLoop, rate, seconds) {
    return async (t) => {
        const before = t.process.cpuMs();
        const result = await openLoop(`http://127.0.0.1:${t.port}`, t.host, rate, seconds);
        return { ...result, cpuUs: ((t.process.cpuMs() - before) * 1000) / (rate * seconds) };
    };
}
//# sourceMappingURL=measure.js.map