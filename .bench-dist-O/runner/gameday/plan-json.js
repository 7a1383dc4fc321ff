import { formatIn } from './local-time.js';
export function planDocument(g, occurrences, warnings) {
    return {
        gameday: g.title,
        file: g.file,
        timezone: g.timezone,
        window: g.window ? { start: g.window.start.toISOString(), end: g.window.end.toISOString() } : null,
        concurrency: g.concurrency,
        onFailure: g.onFailure,
        admins: g.admins,
        starts: occurrences.map((o) => {
            const trigger = g.runs.find((r) => r.name === o.run).trigger;
            return {
                key: o.key,
                run: o.run,
                trigger: o.trigger,
                after: trigger.kind === 'after' ? trigger.after : null,
                due: o.due.toISOString(),
                dueLocal: formatIn(o.due, g.timezone),
                estimatedSeconds: Math.round(o.estimateMs / 1000),
                outsideWindow: o.outsideWindow,
            };
        }),
        warnings,
    };
}
//# sourceMappingURL=plan-json.js.map