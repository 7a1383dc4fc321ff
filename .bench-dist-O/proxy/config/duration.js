import { z } from 'zod';
const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/;
/**
 * The longest wait one thing may ask for: a delay, a timeout, a lease or ttl,
 * a measuring window, a polling interval.
 */
export const MAX_WAIT_MS = 24 * UNIT_MS.h;
/** The longest span: how long an experiment holds a fault or runs load, a pause, a game day's window. */
export const MAX_SPAN_MS = 7 * UNIT_MS.d;
/** What Node can arm: a larger delay silently becomes 1 ms (TimeoutOverflowWarning). */
export const MAX_TIMER_MS = 2 ** 31 - 1;
/**
 * Reads a duration string such as `250ms`, `2s`, `1.5m`, `1h` or `7d` as
 * milliseconds, syntax only; undefined for anything else. Not exported:
 * every reader goes through `checkDuration`, which also applies a maximum.
 */
function parseDuration(text) {
    const m = DURATION.exec(text.trim());
    if (!m)
        return undefined;
    return Number(m[1]) * UNIT_MS[m[2]];
}
/**
 * The one place a duration becomes milliseconds: a string with a unit, or
 * (`seconds: true`) a bare number of seconds as Chaos Toolkit writes them.
 * Anything over `maxMs` is refused here, so no timer is ever armed with it.
 *
 * @example checkDuration('1000h') // { ok: false, message: '"1000h" is longer than the 24h allowed here' }
 */
export function checkDuration(value, maxMs = MAX_WAIT_MS, seconds = false) {
    const ms = typeof value === 'number' ? (seconds ? value * 1000 : Number.NaN) : parseDuration(value);
    if (ms === undefined || !Number.isFinite(ms) || ms < 0) {
        const hint = seconds ? 'use seconds (5) or a number and a unit: 250ms, 2s, 1m, 1h' : 'use a number and a unit: 250ms, 2s, 1m, 1h';
        return { ok: false, message: `${JSON.stringify(value)} is not a duration; ${hint}` };
    }
    if (ms > maxMs)
        return { ok: false, message: `${JSON.stringify(value)} is longer than the ${formatDuration(maxMs)} allowed here` };
    return { ok: true, ms };
}
const toZod = (check, ctx) => {
    if (check.ok)
        return check.ms;
    ctx.addIssue({ code: 'custom', message: check.message });
    return z.NEVER;
};
/** A zod schema for a duration string at most `maxMs` long; yields milliseconds. */
export const durationUpTo = (maxMs) => z.string().transform((text, ctx) => toZod(checkDuration(text, maxMs), ctx));
/** A delay, timeout, ttl, window or interval: at most MAX_WAIT_MS (24h). */
export const durationSchema = durationUpTo(MAX_WAIT_MS);
/** Seconds as Chaos Toolkit writes them (`5`, `0.5`), or a duration string (`5s`, `250ms`), at most `maxMs`; yields ms. */
export const secondsOrDurationUpTo = (maxMs) => z.union([z.number().min(0, 'must be 0 or more'), z.string()], { error: 'give seconds (5) or a duration (250ms, 2s)' }).transform((v, ctx) => toZod(checkDuration(v, maxMs, true), ctx));
/** Formats milliseconds the way users write them, for messages and listings. */
export function formatDuration(ms) {
    // Days from two on: "24h" reads better than "1d".
    if (ms % UNIT_MS.d === 0 && ms > UNIT_MS.d)
        return `${ms / UNIT_MS.d}d`;
    if (ms % 3_600_000 === 0 && ms > 0)
        return `${ms / 3_600_000}h`;
    if (ms % 60_000 === 0 && ms > 0)
        return `${ms / 60_000}m`;
    if (ms % 1000 === 0 && ms > 0)
        return `${ms / 1000}s`;
    return `${ms}ms`;
}
/** Thrown when code would arm a timer Node cannot hold: a value that skipped validation. */
export class TimerRangeError extends RangeError {
    code = 'TIMER_OUT_OF_RANGE';
    name = 'TimerRangeError';
}
/**
 * The guard every timer goes through: returns `ms` if Node can arm it, and
 * throws otherwise, because Node would silently fire a too-large timer after
 * 1 ms (a 1000h delay becoming none at all).
 */
export function timerMs(ms) {
    if (!(ms >= 0 && ms <= MAX_TIMER_MS))
        throw new TimerRangeError(`cannot wait ${ms}ms: timers hold at most ${MAX_TIMER_MS}ms; the value should have been refused when it was read`);
    return ms;
}
/** `setTimeout` through the guard. */
export function setTimer(callback, ms) {
    return setTimeout(callback, timerMs(ms));
}
//# sourceMappingURL=duration.js.map