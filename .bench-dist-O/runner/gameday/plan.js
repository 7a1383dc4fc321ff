import { Cron } from 'croner';
import { formatIn } from './local-time.js';
/** How long an activity keeps the run busy, from what it says: fault and load durations, metric windows, pauses. */
function activityMs(a) {
    const p = a.provider;
    const own = p.type === 'fault' || p.type === 'load' ? p.duration : p.type === 'metric' ? p.window : 1000;
    return own + (a.pauses?.before ?? 0) + (a.pauses?.after ?? 0);
}
/** An experiment's length, roughly: the hypothesis twice, the method (background activities overlap), the rollbacks. */
export function estimateMs(exp) {
    const hypothesis = (exp.hypothesis?.probes ?? []).reduce((n, a) => n + activityMs(a), 0);
    const inline = exp.method.filter((a) => !a.background).reduce((n, a) => n + activityMs(a), 0);
    const background = Math.max(0, ...exp.method.filter((a) => a.background).map(activityMs));
    return 2 * hypothesis + Math.max(inline, background) + exp.rollbacks.reduce((n, a) => n + activityMs(a), 0);
}
/** Most starts one game day makes (a cron run's maxRuns included): the plan is listed, stored and checked whole. */
export const MAX_STARTS = 1000;
/**
 * The starts of a cron run, in order: its matches inside the window when
 * there is one (else from `from`), never more than `limit`. Validation
 * bounds `limit` (maxRuns, MAX_STARTS), so this never walks an endless pattern.
 */
export function cronStarts(pattern, timezone, window, from, limit) {
    const cron = new Cron(pattern, { timezone, paused: true });
    const start = window ? new Date(window.start.getTime() - 1) : from;
    return cron.nextRuns(limit, start).filter((d) => !window || d <= window.end);
}
/**
 * Every start the game day would make, in order: `at` runs at their time,
 * cron runs at each match inside the window (or from `from`, up to maxRuns),
 * `after` runs when the run they follow is estimated to end.
 */
export function occurrencesOf(g, from) {
    const out = [];
    const inWindow = (d) => !g.window || (d >= g.window.start && d <= g.window.end);
    const add = (run, key, due) => out.push({ key, run: run.name, due, trigger: run.trigger.kind, estimateMs: estimateMs(run.experiment), outsideWindow: !inWindow(due) });
    for (const run of g.runs) {
        if (run.trigger.kind === 'at')
            add(run, run.name, run.trigger.at);
        if (run.trigger.kind === 'cron') {
            cronStarts(run.trigger.pattern, g.timezone, g.window, from, run.trigger.maxRuns ?? MAX_STARTS).forEach((d, i) => add(run, `${run.name}-${i + 1}`, d));
        }
    }
    // `after` runs follow the last start of the run they name, in dependency order.
    let pending = g.runs.filter((r) => r.trigger.kind === 'after');
    while (pending.length) {
        const ready = pending.filter((r) => out.some((o) => o.run === r.trigger.after));
        if (!ready.length)
            break;
        for (const run of ready) {
            const before = out.filter((o) => o.run === run.trigger.after).at(-1);
            add(run, run.name, new Date(before.due.getTime() + before.estimateMs));
        }
        pending = pending.filter((r) => !ready.includes(r));
    }
    return out.sort((a, b) => a.due.getTime() - b.due.getTime());
}
/** Whether `zone` is UTC under any of its names (Etc/UTC, GMT, Zulu...): then one column of times says it all. */
export const isUtc = (zone) => new Intl.DateTimeFormat('en', { timeZone: zone }).resolvedOptions().timeZone === 'UTC';
/** `date` in the game day's zone and, unless that is UTC, in UTC too: `2026-12-01 09:00:00 CET (2026-12-01 08:00:00 UTC)`. */
export const formatInZones = (date, zone) => (isUtc(zone) ? formatIn(date, zone) : `${formatIn(date, zone)} (${formatIn(date, 'UTC')})`);
/**
 * Cron runs that never start: their pattern has no match in the window (or
 * none at all, as `0 0 30 2 *`), so they would be left out without a word.
 */
export function startlessCronRuns(g, occurrences) {
    const where = g.window ? `in the window (${formatIn(g.window.start, g.timezone)} to ${formatIn(g.window.end, g.timezone)})` : 'from now on';
    return g.runs
        .filter((r) => r.trigger.kind === 'cron' && !occurrences.some((o) => o.run === r.name))
        .map((r) => `${r.name}: its cron "${r.trigger.pattern}" matches no time ${where}: it will not start`);
}
/**
 * What a planner should know at `now`: a window that is over, starts already
 * past, starts outside the window, cron runs that never start, and more runs
 * at once than the concurrency allows.
 */
export function planWarnings(g, occurrences, now) {
    const warnings = [...startlessCronRuns(g, occurrences)];
    const at = (d) => formatIn(d, g.timezone);
    const windowOver = g.window !== undefined && g.window.end < now;
    if (windowOver)
        warnings.push(`the whole window (${at(g.window.start)} to ${at(g.window.end)}) is in the past: \`gameday run\` would skip every start and exit 1; move the window`);
    for (const o of occurrences)
        if (!windowOver && !o.outsideWindow && o.trigger !== 'after' && o.due < now)
            warnings.push(`${o.key} was due at ${at(o.due)}, in the past: \`gameday run\` starts it at once`);
    for (const o of occurrences)
        if (o.outsideWindow)
            warnings.push(`${o.key} is due at ${at(o.due)}, outside the window (${at(g.window.start)} to ${at(g.window.end)}): it will not start`);
    const inside = occurrences.filter((o) => !o.outsideWindow);
    for (const o of inside) {
        const end = o.due.getTime() + o.estimateMs;
        const overlapping = inside.filter((x) => x !== o && x.due.getTime() <= o.due.getTime() && x.due.getTime() + x.estimateMs > o.due.getTime());
        if (overlapping.length >= g.concurrency) {
            warnings.push(`${o.key} at ${at(o.due)} overlaps ${overlapping.map((x) => x.key).join(', ')} (about ${Math.round(end - o.due.getTime()) / 1000}s each way): with concurrency ${g.concurrency} it waits for a free slot and starts late`);
        }
    }
    return warnings;
}
/** How many starts and warnings `gameday plan` lists; it says how many more there are. */
export const PLAN_LINES = 100;
export const PLAN_WARNINGS = 20;
/** The timeline `gameday plan` prints: each start in the game day's zone and (unless that is UTC) in UTC, the first PLAN_LINES of them. */
export function formatPlan(g, occurrences, warnings) {
    const utc = isUtc(g.timezone);
    const lines = [`Game day "${g.title}" (${g.file}), times in ${utc ? g.timezone : `${g.timezone} and UTC`}`];
    if (g.window)
        lines.push(`Window: ${formatIn(g.window.start, g.timezone)} to ${formatIn(g.window.end, g.timezone)}; concurrency ${g.concurrency}; on failure: ${g.onFailure}`);
    for (const o of occurrences.slice(0, PLAN_LINES)) {
        const trigger = g.runs.find((r) => r.name === o.run).trigger;
        const how = trigger.kind === 'after' ? `after ${trigger.after}, estimated` : trigger.kind;
        lines.push(`  ${formatIn(o.due, g.timezone)}  ${utc ? '' : `${formatIn(o.due, 'UTC')}  `}${o.key}  [${how}]  ~${Math.round(o.estimateMs / 1000)}s${o.outsideWindow ? '  OUTSIDE THE WINDOW' : ''}`);
    }
    if (occurrences.length > PLAN_LINES)
        lines.push(`  ... and ${occurrences.length - PLAN_LINES} more starts, the last at ${formatIn(occurrences.at(-1).due, g.timezone)}`);
    for (const w of warnings.slice(0, PLAN_WARNINGS))
        lines.push(`warning: ${w}`);
    if (warnings.length > PLAN_WARNINGS)
        lines.push(`... and ${warnings.length - PLAN_WARNINGS} more warnings`);
    return `${lines.join('\n')}\n`;
}
//# sourceMappingURL=plan.js.map