import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { loadGameday } from '../../../runner/gameday/load-gameday.js';
import { formatIn } from '../../../runner/gameday/local-time.js';
import { formatPlan, occurrencesOf, PLAN_LINES, planWarnings } from '../../../runner/gameday/plan.js';
import { gamedayFolder } from '../../helpers/gameday-fixture.js';

describe('game-day plan', () => {
  const f = gamedayFolder();
  after(() => f.dir.remove());
  const at = (o: { due: Date }) => o.due.toISOString().slice(0, 16);

  it('places at, cron and after runs in the game day\'s time zone, within maxRuns', () => {
    const g = loadGameday(
      f.gameday(`gameday: Payments day
timezone: Europe/Berlin
window: { start: 2026-12-01T09:00, end: 2026-12-01T12:00 }
runs:
  - { experiment: mark.yaml, id: abort, at: 2026-12-01T09:15 }
  - { experiment: mark.yaml, id: latency, cron: "*/20 9-11 * * 1-5", maxRuns: 3 }
  - { experiment: mark.yaml, id: failover, after: abort }
`),
    );
    const plan = occurrencesOf(g, new Date('2026-11-30T00:00:00Z'));
    assert.deepEqual(
      plan.map((o) => [o.key, at(o)]),
      [
        ['latency-1', '2026-12-01T08:00'],
        ['abort', '2026-12-01T08:15'],
        ['failover', '2026-12-01T08:15'],
        ['latency-2', '2026-12-01T08:20'],
        ['latency-3', '2026-12-01T08:40'],
      ],
    );
    assert.equal(plan.find((o) => o.key === 'failover')!.due.getTime(), plan.find((o) => o.key === 'abort')!.due.getTime() + plan.find((o) => o.key === 'abort')!.estimateMs);
    const text = formatPlan(g, plan, planWarnings(g, plan, new Date('2026-11-30T00:00:00Z')));
    assert.match(text, /2026-12-01 09:15:00 CET {2}2026-12-01 08:15:00 UTC {2}abort {2}\[at\]/);
  });

  it('gives each time once for a game day in UTC, under any of its names', () => {
    for (const zone of ['UTC', 'Etc/UTC', 'GMT']) {
      const g = loadGameday(f.gameday(`gameday: Plain\ntimezone: ${zone}\nruns:\n  - { experiment: mark.yaml, id: abort, at: 2026-12-01T09:15 }\n`));
      const plan = occurrencesOf(g, new Date('2026-11-30T00:00:00Z'));
      const text = formatPlan(g, plan, []);
      assert.match(text, new RegExp(`times in ${zone}\n`), text);
      assert.doesNotMatch(text, /and UTC/);
      assert.match(text, /^ {2}2026-12-01 09:15:00 UTC {2}abort {2}\[at\]/m, text);
    }
  });

  it('warns about a cron run that never starts in the window, instead of leaving it out silently', () => {
    const g = loadGameday(
      f.gameday(`gameday: Leap
timezone: UTC
window: { start: 2026-12-01T09:00, end: 2026-12-01T12:00 }
runs:
  - { experiment: mark.yaml, id: never, cron: "0 0 30 2 *" }
  - { experiment: mark.yaml, id: night, cron: "0 3 * * *" }
  - { experiment: mark.yaml, id: ok, at: 2026-12-01T09:15 }
`),
    );
    const now = new Date('2026-11-30T00:00:00Z');
    const plan = occurrencesOf(g, now);
    assert.deepEqual(plan.map((o) => o.key), ['ok']);
    const warnings = planWarnings(g, plan, now);
    assert.ok(warnings.includes('never: its cron "0 0 30 2 *" matches no time in the window (2026-12-01 09:00:00 UTC to 2026-12-01 12:00:00 UTC): it will not start'), warnings.join('\n'));
    assert.ok(warnings.some((w) => w.startsWith('night: its cron "0 3 * * *" matches no time in the window')), warnings.join('\n'));
    assert.equal(warnings.filter((w) => w.startsWith('ok')).length, 0);
  });

  it('follows the clocks across a daylight-saving change', () => {
    const g = loadGameday(
      f.gameday(`gameday: Night shift
timezone: Europe/Berlin
window: { start: 2026-03-29T00:00, end: 2026-03-29T05:00 }
runs:
  - { experiment: mark.yaml, id: hourly, cron: "30 * * * *" }
  - { experiment: mark.yaml, id: late, at: 2026-03-29T04:00 }
`),
    );
    const plan = occurrencesOf(g, new Date('2026-03-28T00:00:00Z'));
    const hourly = plan.filter((o) => o.run === 'hourly');
    // 02:30 does not exist that night (clocks go from 02:00 CET to 03:00 CEST), so that start is not made;
    // an hour of wall-clock time passes between 01:30 and 03:30, not two.
    assert.deepEqual(
      hourly.map((o) => formatIn(o.due, 'Europe/Berlin')),
      ['2026-03-29 00:30:00 CET', '2026-03-29 01:30:00 CET', '2026-03-29 03:30:00 CEST', '2026-03-29 04:30:00 CEST'],
    );
    assert.deepEqual(hourly.map(at), ['2026-03-28T23:30', '2026-03-29T00:30', '2026-03-29T01:30', '2026-03-29T02:30']);
    assert.equal(at(plan.find((o) => o.run === 'late')!), '2026-03-29T02:00', '04:00 CEST is 02:00 UTC');
  });

  it('warns about runs outside the window and runs that overlap beyond the concurrency', () => {
    const g = loadGameday(
      f.gameday(`gameday: Crowded
timezone: UTC
window: { start: 2026-12-01T09:00, end: 2026-12-01T10:00 }
concurrency: 1
runs:
  - { experiment: mark.yaml, id: early, at: 2026-12-01T08:00 }
  - { experiment: mark.yaml, id: one, at: 2026-12-01T09:30 }
  - { experiment: mark.yaml, id: two, at: 2026-12-01T09:30 }
`),
    );
    const plan = occurrencesOf(g, new Date('2026-12-01T00:00:00Z'));
    const warnings = planWarnings(g, plan, new Date('2026-12-01T00:00:00Z'));
    assert.ok(warnings.some((w) => /^early is due at 2026-12-01 08:00:00 UTC, outside the window/.test(w)), warnings.join('\n'));
    assert.ok(warnings.some((w) => /^two at .* overlaps one .* with concurrency 1 it waits/.test(w)), warnings.join('\n'));
  });

  it('warns when the whole window is in the past, and when a start is already due', () => {
    const g = loadGameday(
      f.gameday(`gameday: Yesterday
timezone: UTC
window: { start: 2026-12-01T09:00, end: 2026-12-01T12:00 }
runs:
  - { experiment: mark.yaml, id: abort, at: 2026-12-01T09:15 }
  - { experiment: mark.yaml, id: failover, after: abort }
`),
    );
    const plan = occurrencesOf(g, new Date('2026-12-02T00:00:00Z'));
    const over = planWarnings(g, plan, new Date('2026-12-02T00:00:00Z'));
    assert.ok(over.some((w) => /^the whole window \(2026-12-01 09:00:00 UTC to 2026-12-01 12:00:00 UTC\) is in the past: `gameday run` would skip every start/.test(w)), over.join('\n'));
    const open = planWarnings(g, plan, new Date('2026-12-01T10:00:00Z'));
    assert.ok(!open.some((w) => /whole window/.test(w)), open.join('\n'));
    assert.ok(open.some((w) => /^abort was due at 2026-12-01 09:15:00 UTC, in the past: `gameday run` starts it at once/.test(w)), open.join('\n'));
    assert.deepEqual(planWarnings(g, plan, new Date('2026-12-01T08:00:00Z')), [], 'nothing to say before the window');
  });

  it('lists the first starts of a long plan and says how many more there are', () => {
    const g = loadGameday(
      f.gameday(`gameday: Every six minutes
timezone: UTC
window: { start: 2027-01-01T00:00, end: 2027-01-05T00:00 }
runs:
  - { experiment: mark.yaml, id: often, cron: "*/6 * * * *" }
`),
    );
    const plan = occurrencesOf(g, new Date('2026-12-01T00:00:00Z'));
    assert.equal(plan.length, 961, 'four days of starts every six minutes, both ends included');
    const lines = formatPlan(g, plan, []).trimEnd().split('\n');
    assert.equal(lines.filter((l) => /\[cron\]/.test(l)).length, PLAN_LINES);
    assert.equal(lines.at(-1), `  ... and ${961 - PLAN_LINES} more starts, the last at 2027-01-05 00:00:00 UTC`);
  });
});
