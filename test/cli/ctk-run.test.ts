import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/mesh-fixture.js';

describe('faultmesh validate and run with Chaos Toolkit process providers and runtime', () => {
  const dir = tempDir();
  after(() => dir.remove());

  it('validate refuses a program that is not installed, with file:line at provider.path, and exits 2', async () => {
    const file = dir.file('vegeta.yaml', 'title: load\nmethod:\n  - type: action\n    name: attack\n    provider: { type: process, path: vegeta-not-installed, arguments: "attack -rate 50 | vegeta report" }\n');
    const run = await runCli(['validate', file]);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, new RegExp(`${file}:5:\\d+ method\\[0\\]\\.provider\\.path: "vegeta-not-installed" is not found on PATH`));
    assert.match(run.stderr, /^1 error$/m);
  });

  it('run refuses it too before anything runs: no activity, no journal', async () => {
    const mark = `${dir.path}/ran`;
    const journal = `${dir.path}/never.json`;
    const file = dir.file('missing-rollback.yaml', `title: t\nmethod:\n  - { type: action, name: touch, provider: { type: process, path: sh, arguments: "-c 'touch ${mark}'" } }\nrollbacks:\n  - { type: action, name: undo, provider: { type: process, path: ./bin/no-such-undo } }\n`);
    const run = await runCli(['run', file, '--journal', journal]);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /:5:\d+ rollbacks\[0\]\.provider\.path: "\.\/bin\/no-such-undo" does not exist \(relative to the current directory/);
    assert.equal(existsSync(mark), false, 'the method did not run');
    assert.equal(existsSync(journal), false, 'no journal was written');
  });

  it('--dry-run shows the file\'s runtime, the flag winning over it, and the pauses', async () => {
    const file = dir.file(
      'runtime.yaml',
      `title: t
steady-state-hypothesis:
  title: h
  probes:
    - { type: probe, name: p, tolerance: 0, provider: { type: process, path: "true" } }
method:
  - { type: action, name: a, provider: { type: process, path: sh, arguments: "-c 'exit 0'" }, pauses: { after: 2 } }
rollbacks:
  - { type: action, name: r, provider: { type: process, path: "true" } }
runtime:
  rollbacks: { strategy: always }
  hypothesis: { strategy: continuously, frequency: 5 }
`,
    );
    const run = await runCli(['run', file, '--dry-run', '--rollback-strategy', 'deviated', '--hypothesis-frequency', '1.5', '--fail-fast']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^Steady state "h", checked before and after the method and every 1500ms during it \(the first check not met stops the run\):$/m);
    assert.match(run.stdout, /1\. action "a": run sh -c 'exit 0' \(through a shell\); pauses after 2s$/m);
    assert.match(run.stdout, /^Rollbacks \(deviated: run only if the steady state deviates\):$/m);
  });

  it('refuses a --hypothesis-frequency that is not a duration, naming the flag', async () => {
    const file = dir.file('ok.yaml', 'title: t\nmethod:\n  - { type: action, name: a, provider: { type: process, path: "true" } }\n');
    const run = await runCli(['run', file, '--dry-run', '--hypothesis-frequency', 'often']);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /--hypothesis-frequency often: give seconds \(1\.5\) or a duration \(500ms\) above 0/);
  });
});
