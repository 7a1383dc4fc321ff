import { Cron } from 'croner';
import { z } from 'zod';
import { isTimeZone, localToInstant } from './local-time.js';

const localTime = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/, 'write a local time as 2026-12-01T09:15 (in the game day\'s timezone)');

const cron = z.string().superRefine((pattern, ctx) => {
  try {
    new Cron(pattern, { paused: true });
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: `not a cron pattern: ${(err as Error).message}` });
  }
});

const runSchema = z
  .strictObject({
    experiment: z.string().min(1),
    /** A name for `after` and for the journals; the experiment's file name when absent. */
    id: z.string().regex(/^[A-Za-z0-9][\w.-]*$/, 'id: letters, digits, "-", "_" and "."').optional(),
    at: localTime.optional(),
    cron: cron.optional(),
    maxRuns: z.number().int().positive().optional(),
    after: z.string().min(1).optional(),
    vars: z.record(z.string(), z.unknown()).default({}),
  })
  .superRefine((r, ctx) => {
    const when = (['at', 'cron', 'after'] as const).filter((k) => r[k] !== undefined);
    if (when.length !== 1) ctx.addIssue({ code: 'custom', message: `a run starts one way: give exactly one of at, cron or after${when.length ? ` (not ${when.join(' and ')})` : ''}` });
    if (r.maxRuns !== undefined && r.cron === undefined) ctx.addIssue({ code: 'custom', path: ['maxRuns'], message: 'maxRuns bounds a cron run; leave it out here' });
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
    runs: z.array(runSchema).min(1, 'a game day needs at least one run'),
  })
  .superRefine((g, ctx) => {
    if (g.window) {
      const start = localToInstant(g.window.start, g.timezone);
      const end = localToInstant(g.window.end, g.timezone);
      if (start && end && end <= start) ctx.addIssue({ code: 'custom', path: ['window', 'end'], message: 'the window ends before it starts' });
    }
    const ids = g.runs.map((r) => r.id ?? r.experiment);
    g.runs.forEach((r, i) => {
      if (ids.indexOf(ids[i]!) !== i) ctx.addIssue({ code: 'custom', path: ['runs', i, 'experiment'], message: `"${ids[i]}" is named twice; give one of them an id` });
      if (r.after !== undefined) {
        const target = ids.indexOf(r.after);
        if (target < 0) ctx.addIssue({ code: 'custom', path: ['runs', i, 'after'], message: `no run named "${r.after}" (runs are named by id, or by experiment as written)` });
        else if (target === i) ctx.addIssue({ code: 'custom', path: ['runs', i, 'after'], message: 'a run cannot start after itself' });
      }
      if (r.cron !== undefined && r.maxRuns === undefined && !g.window) ctx.addIssue({ code: 'custom', path: ['runs', i, 'cron'], message: 'a cron run needs maxRuns, or a window to end it' });
    });
  });

export type GamedaySpec = z.output<typeof gamedaySchema>;
export type RunSpec = GamedaySpec['runs'][number];
