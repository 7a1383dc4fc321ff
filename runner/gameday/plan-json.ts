import type { Gameday } from './load-gameday.js';
import { formatIn } from './local-time.js';
import type { Occurrence } from './plan.js';

/** One start in `gameday plan --json`. */
export interface PlannedStart {
  /** Unique in the game day: the run's name, with `-N` for each start of a cron run (the journal's name too). */
  readonly key: string;
  readonly run: string;
  readonly trigger: 'at' | 'cron' | 'after';
  /** For `after`: the run it follows; its `due` is then an estimate (it starts when that one ends). */
  readonly after: string | null;
  /** ISO 8601, UTC. */
  readonly due: string;
  /** The same instant as a wall-clock time in the game day's zone: `2026-12-01 09:15:00 CET`. */
  readonly dueLocal: string;
  readonly estimatedSeconds: number;
  readonly outsideWindow: boolean;
}

/**
 * `gameday plan --json`: the whole plan (every start, not only the first
 * 100 the text shows) in a shape that stays stable; README documents it.
 */
export interface PlanDocument {
  readonly gameday: string;
  readonly file: string;
  readonly timezone: string;
  readonly window: { readonly start: string; readonly end: string } | null;
  readonly concurrency: number;
  readonly onFailure: Gameday['onFailure'];
  /** The proxies and control plane a halt reaches, control plane first. */
  readonly admins: readonly string[];
  readonly starts: readonly PlannedStart[];
  readonly warnings: readonly string[];
}

export function planDocument(g: Gameday, occurrences: readonly Occurrence[], warnings: readonly string[]): PlanDocument {
  return {
    gameday: g.title,
    file: g.file,
    timezone: g.timezone,
    window: g.window ? { start: g.window.start.toISOString(), end: g.window.end.toISOString() } : null,
    concurrency: g.concurrency,
    onFailure: g.onFailure,
    admins: g.admins,
    starts: occurrences.map((o) => {
      const trigger = g.runs.find((r) => r.name === o.run)!.trigger;
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
