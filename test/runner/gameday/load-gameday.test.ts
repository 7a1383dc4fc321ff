import assert from 'node:assert/strict';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ConfigError, formatIssue } from '../../../proxy/config/config-error.js';
import { loadGameday } from '../../../runner/gameday/load-gameday.js';
import { runCli, spawnCli, waitForLine } from '../../helpers/cli.js';
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
    ['a cron with seconds', `${head}runs:\n  - { experiment: mark.yaml, cron: "* * * * * *", maxRuns: 5 }\n`, /:4:36 runs\[0\]\.cron: a game-day cron has five fields .* this one has 6: seconds are not supported/],
    ['a maxRuns above the limit', `${head}runs:\n  - { experiment: mark.yaml, cron: "* * * * *", maxRuns: 100000000 }\n`, /:4:58 runs\[0\]\.maxRuns: maxRuns is at most 1000/],
    ['a cron that matches too often in its window', `${head}window: { start: 2027-01-01T00:00, end: 2027-01-05T00:00 }\nruns:\n  - { experiment: mark.yaml, cron: "* * * * *" }\n`, /:5:36 runs\[0\]\.cron: matches more than 1000 times in the window/],
    ['runs that make too many starts together', `${head}runs:\n  - { experiment: mark.yaml, cron: "* * * * *", maxRuns: 600 }\n  - { experiment: mark.yaml, id: again, cron: "* * * * *", maxRuns: 600 }\n`, /:4:3 runs: these runs make 1200 starts; a game day makes at most 1000/],
    ['an unknown time zone', 'gameday: g\ntimezone: Mars/Olympus\nruns:\n  - { experiment: mark.yaml, at: 2026-12-01T09:00 }\n', /:2:11 timezone: not a time zone/],
    ['a window that ends before it starts', `${head}window: { start: 2026-12-01T12:00, end: 2026-12-01T09:00 }\nruns:\n  - { experiment: mark.yaml, at: 2026-12-01T10:00 }\n`, /window\.end: the window ends before it starts/],
    ['after a run that does not exist', `${head}runs:\n  - { experiment: mark.yaml, after: nothing }\n`, /runs\[0\]\.after: no run named "nothing"/],
    ['runs that wait on each other', `${head}runs:\n  - { experiment: mark.yaml, id: a, after: b }\n  - { experiment: mark.yaml, id: b, after: a }\n`, /runs\[0\]\.after: "a" waits on a chain of runs that waits on it/],
    ['the same run twice', `${head}runs:\n  - { experiment: mark.yaml, at: 2026-12-01T09:00 }\n  - { experiment: mark.yaml, at: 2026-12-01T10:00 }\n`, /runs\[1\]\.experiment: "mark\.yaml" is named twice/],
    ['a missing experiment', `${head}runs:\n  - { experiment: nowhere.yaml, at: 2026-12-01T09:00 }\n`, /nowhere\.yaml: file not found/],
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
    assert.ok(issues.some((i) => i.startsWith(`${bad}:3:`) && /provider\.module: required field is missing/.test(i)), issues.join('\n'));
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
    const run = await runCli(['gameday', 'run', file, '--out', dir]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /mark\.yaml +held/);
    const halt = await runCli(['gameday', 'halt', dir, '--reason', 'drill']);
    assert.equal(halt.code, 0, halt.stderr);
    assert.match(readFileSync(join(dir, 'HALT'), 'utf8'), /faultmesh gameday halt: drill/);
  });

  it('faultmesh gameday run on a window that has passed ends at once, says nothing ran, and exits 1', async () => {
    const file = f.gameday(`gameday: Too late\ntimezone: UTC\nwindow: { start: 2020-01-01T09:00, end: 2020-01-01T12:00 }\nruns:\n  - { experiment: mark.yaml, id: first, at: 2020-01-01T09:15 }\n  - { experiment: mark.yaml, id: then, after: first }\n`);
    const plan = await runCli(['gameday', 'plan', file]);
    assert.equal(plan.code, 0, plan.stderr);
    assert.match(plan.stdout, /warning: the whole window .* is in the past/);
    const run = await runCli(['gameday', 'run', file, '--out', join(f.dir.path, 'too-late')]);
    assert.equal(run.code, 1, `exit ${run.code}\n${run.stdout}${run.stderr}`);
    assert.match(run.stderr, /the window closed at 2020-01-01 12:00:00 UTC, before .* every start is skipped/);
    assert.match(run.stdout, /first +skipped +the window closed before it could start/);
    assert.match(run.stdout, /then +skipped +first did not run/);
    assert.match(run.stdout, /nothing ran: every start was skipped/);
  });

  it('faultmesh gameday run halted before its first start says the starts were cancelled by the halt, and exits 3', async () => {
    const soon = new Date(Date.now() + 3_600_000).toISOString().slice(0, 16);
    const file = f.gameday(`gameday: Halted early\ntimezone: UTC\nruns:\n  - { experiment: mark.yaml, id: first, at: ${soon} }\n  - { experiment: mark.yaml, id: then, after: first }\n`);
    const dir = join(f.dir.path, 'halted-early');
    const child = spawnCli(['gameday', 'run', file, '--out', dir]);
    // Listened for from the start: the run may exit while the halt command is still returning.
    const exited = once(child, 'exit');
    let stdout = '';
    child.stdout!.on('data', (d) => (stdout += d));
    try {
      const waiting = await waitForLine(child, /waiting until (.*) for first\n/);
      assert.doesNotMatch(waiting[1]!, /\(/, 'a UTC game day gives each time once');
      const halt = await runCli(['gameday', 'halt', dir, '--reason', 'drill']);
      assert.equal(halt.code, 0, halt.stderr);
      const [code] = (await exited) as [number | null];
      assert.equal(code, 3, stdout);
      assert.match(stdout, /first +cancelled +by the halt\n/);
      assert.match(stdout, /nothing ran: every start was cancelled, halted by .*faultmesh gameday halt: drill/);
      assert.doesNotMatch(stdout, /skipped/);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
