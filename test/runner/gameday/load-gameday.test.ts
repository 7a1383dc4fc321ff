import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ConfigError, formatIssue } from '../../../proxy/config/config-error.js';
import { loadGameday } from '../../../runner/gameday/load-gameday.js';
import { runCli } from '../../helpers/cli.js';
import { gamedayFolder } from '../../helpers/gameday-fixture.js';

describe('game-day files', () => {
  const f = gamedayFolder();
  after(() => f.dir.remove());
  const issuesOf = (yaml: string) => {
    try {
      loadGameday(f.gameday(yaml));
    } catch (err) {
      assert.ok(err instanceof ConfigError, String(err));
      return err.issues.map(formatIssue);
    }
    assert.fail('accepted');
  };
  const head = 'gameday: g\ntimezone: UTC\n';
  const table: Array<[string, string, RegExp]> = [
    ['an unknown field', `${head}windw: {}\nruns:\n  - { experiment: mark.yaml, at: 2026-12-01T09:00 }\n`, /:3:1 windw: unknown field/],
    ['a run with two starts', `${head}runs:\n  - { experiment: mark.yaml, at: 2026-12-01T09:00, cron: "* * * * *" }\n`, /:4:5 runs\[0\]: a run starts one way: give exactly one of at, cron or after \(not at and cron\)/],
    ['a run with no start', `${head}runs:\n  - { experiment: mark.yaml }\n`, /runs\[0\]: a run starts one way/],
    ['a bad local time', `${head}runs:\n  - { experiment: mark.yaml, at: "9:15" }\n`, /:4:34 runs\[0\]\.at: write a local time as 2026-12-01T09:15/],
    ['a bad cron pattern', `${head}runs:\n  - { experiment: mark.yaml, cron: "every day", maxRuns: 1 }\n`, /runs\[0\]\.cron: not a cron pattern/],
    ['a cron with no end', `${head}runs:\n  - { experiment: mark.yaml, cron: "0 * * * *" }\n`, /runs\[0\]\.cron: a cron run needs maxRuns, or a window to end it/],
    ['an unknown time zone', 'gameday: g\ntimezone: Mars/Olympus\nruns:\n  - { experiment: mark.yaml, at: 2026-12-01T09:00 }\n', /:2:11 timezone: not a time zone/],
    ['a window that ends before it starts', `${head}window: { start: 2026-12-01T12:00, end: 2026-12-01T09:00 }\nruns:\n  - { experiment: mark.yaml, at: 2026-12-01T10:00 }\n`, /window\.end: the window ends before it starts/],
    ['after a run that does not exist', `${head}runs:\n  - { experiment: mark.yaml, after: nothing }\n`, /runs\[0\]\.after: no run named "nothing"/],
    ['runs that wait on each other', `${head}runs:\n  - { experiment: mark.yaml, id: a, after: b }\n  - { experiment: mark.yaml, id: b, after: a }\n`, /runs\[0\]\.after: "a" waits on a chain of runs that waits on it/],
    ['the same run twice', `${head}runs:\n  - { experiment: mark.yaml, at: 2026-12-01T09:00 }\n  - { experiment: mark.yaml, at: 2026-12-01T10:00 }\n`, /runs\[1\]\.experiment: "mark\.yaml" is named twice/],
    ['a missing experiment', `${head}runs:\n  - { experiment: nowhere.yaml, at: 2026-12-01T09:00 }\n`, /nowhere\.yaml:0:0 file not found/],
  ];
  for (const [name, yaml, expected] of table) {
    it(`refuses ${name}, with its line and field`, () => {
      const issues = issuesOf(yaml);
      assert.ok(issues.some((i) => expected.test(i)), issues.join('\n'));
    });
  }

  it('names the experiment\'s own errors in its file, and the run that named it', () => {
    const bad = f.dir.file('bad-exp.yaml', 'title: bad\nmethod:\n  - { type: action, name: a, provider: { type: python } }\n');
    const issues = issuesOf(`${head}runs:\n  - { experiment: bad-exp.yaml, at: 2026-12-01T09:00 }\n`);
    assert.ok(issues.some((i) => i.startsWith(`${bad}:3:`) && /python provider/.test(i)), issues.join('\n'));
    assert.ok(issues.some((i) => /:4:19 runs\[0\]\.experiment: bad-exp\.yaml is not a valid experiment/.test(i)), issues.join('\n'));
  });

  it('faultmesh gameday plan prints the timeline; an invalid file exits 2; halt leaves a note for the runner', async () => {
    const file = f.gameday(`gameday: CLI day\ntimezone: Europe/Berlin\nruns:\n  - { experiment: mark.yaml, at: 2026-07-01T09:00 }\n`);
    const plan = await runCli(['gameday', 'plan', file]);
    assert.equal(plan.code, 0, plan.stderr);
    assert.match(plan.stdout, /2026-07-01 09:00:00 CEST {2}2026-07-01 07:00:00 UTC {2}mark\.yaml {2}\[at\]/);
    const bad = await runCli(['gameday', 'plan', f.gameday(`${head}runs: []\n`)]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /runs: a game day needs at least one run/);
    const dir = join(f.dir.path, 'cli-day');
    const run = await runCli(['gameday', 'run', file, '--out', dir], 20_000);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /mark\.yaml +held/);
    const halt = await runCli(['gameday', 'halt', dir, '--reason', 'drill']);
    assert.equal(halt.code, 0, halt.stderr);
    assert.match(readFileSync(join(dir, 'HALT'), 'utf8'), /faultmesh gameday halt: drill/);
  });
});
