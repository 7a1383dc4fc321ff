import { Cron } from 'croner';
import { z } from 'zod';
import { formatDuration, MAX_SPAN_MS } from '../../proxy/config/duration.js';
import { isTimeZone, localToInstant } from './local-time.js';
import { cronStarts, MAX_STARTS } from './plan.js';
const localTime = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/, 'write a local time as 2026-12-01T09:15 (in the game day\'s timezone)');
/** croner also takes a seconds field; a game-day run lasts longer than a second, so minutes are the finest step. */
function fieldsIssue(pattern) {
    const fields = pattern.trim().split(/\s+/).length;
    if (pattern.trim().startsWith('@') || fields === 5)
        return undefined;
    return `a game-day cron has five fields (minute hour day-of-month month day-of-week), this one has ${fields}${fields === 6 ? ': seconds are not supported' : ''}`;
}
const cron = z.string().superRefine((pattern, ctx) => {
    try {
        new Cron(pattern, { paused: true });
    }
    catch (err) {
        return void ctx.addIssue({ code: 'custom', message: `not a cron pattern: ${err.message}` });
    }
    const fields = fieldsIssue(pattern);
    if (fields)
        ctx.addIssue({ code: 'custom', message: fields });
});
const runSchema = z
    .strictObject({
    experiment: z.string().min(1),
    /** A name for `after` and for the journals; the experiment's file name when absent. */
    id: z.string().regex(/^[A-Za-z0-9][\w.-]*$/, 'id: letters, digits, "-", "_" and "."').optional(),
    at: localTime.optional(),
    cron: cron.optional(),
    maxRuns: z.number().int().positive().max(MAX_STARTS, `maxRuns is at most ${MAX_STARTS}`).optional(),
    after: z.string().min(1).optional(),
    vars: z.record(z.string(), z.unknown()).default({}),
})
    .superRefine((r, ctx) => {
    const when = ['at', 'cron', 'after'].filter((k) => r[k] !== undefined);
    if (when.length !== 1)
        ctx.addIssue({ code: 'custom', message: `a run starts one way: give exactly one of at, cron or after${when.length ? ` (not ${when.join(' and ')})` : ''}` });
    if (r.maxRuns !== undefined && r.cron === undefined)
        ctx.addIssue({ code: 'custom', path: ['maxRuns'], message: 'maxRuns bounds a cron run; leave it out here' });
});
/** A game day: experiments scheduled at times, by cron or one after another, inside a window. */
export const gamedaySchema = z
    .strictObject({
    gameday: z.string().min(1),
    timezone: z.string().refine(isTimeZone, 'not a time zone this system knows; use an IANA name such as Europe/Berlin, or UTC').default('UTC'),
    window: z.strictObject({ start: localTime, end: localTime }).optional(),
    onFailure: z.enum(['halt', 'continue'], { error: 'onFailure is halt or continue' }).default('halt'),
    concurrency: z.number().int().min(1, 'concurrency is 1 or more').default(1),
    admin: z.array(z.url({ protocol: /^https?$/, error: 'an http:// or https:// URL' })).default([]),
    /** The control plane: halted (and watched for a halt) like one proxy that stands for all of them. */
    control: z.url({ protocol: /^https?$/, error: 'an http:// or https:// URL' }).optional(),
    runs: z.array(runSchema).min(1, 'a game day needs at least one run'),
})
    .superRefine((g, ctx) => {
    if (g.window) {
        const start = localToInstant(g.window.start, g.timezone);
        const end = localToInstant(g.window.end, g.timezone);
        if (start && end && end <= start)
            ctx.addIssue({ code: 'custom', path: ['window', 'end'], message: 'the window ends before it starts' });
        else if (start && end && end.getTime() - start.getTime() > MAX_SPAN_MS)
            ctx.addIssue({ code: 'custom', path: ['window', 'end'], message: `a game day's window is at most ${formatDuration(MAX_SPAN_MS)} long` });
    }
    const ids = g.runs.map((r) => r.id ?? r.experiment);
    g.runs.forEach((r, i) => {
        if (ids.indexOf(ids[i]) !== i)
            ctx.addIssue({ code: 'custom', path: ['runs', i, 'experiment'], message: `"${ids[i]}" is named twice; give one of them an id` });
        if (r.after !== undefined) {
            const target = ids.indexOf(r.after);
            if (target < 0)
                ctx.addIssue({ code: 'custom', path: ['runs', i, 'after'], message: `no run named "${r.after}" (runs are named by id, or by experiment as written)` });
            else if (target === i)
                ctx.addIssue({ code: 'custom', path: ['runs', i, 'after'], message: 'a run cannot start after itself' });
        }
        if (r.cron !== undefined && r.maxRuns === undefined && !g.window)
            ctx.addIssue({ code: 'custom', path: ['runs', i, 'cron'], message: 'a cron run needs maxRuns, or a window to end it' });
    });
    startsIssue(g, ctx);
});
/** How many starts a run makes: one, or its cron matches inside the window (up to maxRuns); undefined when its pattern or window is invalid (reported elsewhere). */
function startsOf(r, g) {
    if (r.cron === undefined)
        return 1;
    if (fieldsIssue(r.cron) || (r.maxRuns ?? 0) > MAX_STARTS)
        return undefined;
    if (!g.window)
        return r.maxRuns;
    const window = { start: localToInstant(g.window.start, g.timezone), end: localToInstant(g.window.end, g.timezone) };
    if (!window.start || !window.end)
        return undefined;
    try {
        return cronStarts(r.cron, g.timezone, { start: window.start, end: window.end }, window.start, Math.min(r.maxRuns ?? MAX_STARTS + 1, MAX_STARTS + 1)).length;
    }
    catch {
        return undefined;
    }
}
/** Refuses a game day of more than MAX_STARTS starts, at the cron run that makes too many, or at `runs`. */
function startsIssue(g, ctx) {
    const counts = g.runs.map((r) => startsOf(r, g) ?? 0);
    const many = counts.findIndex((n) => n > MAX_STARTS);
    const total = counts.reduce((a, b) => a + b, 0);
    if (many >= 0)
        ctx.addIssue({ code: 'custom', path: ['runs', many, 'cron'], message: `matches more than ${MAX_STARTS} times in the window; a game day makes at most ${MAX_STARTS} starts: set maxRuns or a sparser pattern` });
    else if (total > MAX_STARTS)
        ctx.addIssue({ code: 'custom', path: ['runs'], message: `these runs make ${total} starts; a game day makes at most ${MAX_STARTS}: lower maxRuns or narrow the window` });
}
//# sourceMappingURL=gameday-schema.js.map