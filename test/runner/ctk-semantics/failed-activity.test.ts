import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { after, describe, it } from 'node:test';
import { runReport } from '../../../reports/report-model.js';
import { renderMarkdown } from '../../../reports/markdown.js';
import { loadExperiment } from '../../../runner/experiment/load-experiment.js';
import { exitCodeOf, type Journal } from '../../../runner/journal.js';
import { progressPrinter } from '../../../runner/progress.js';
import { runExperiment, type RunOptions } from '../../../runner/run-experiment.js';
import { verdictOf } from '../../../runner/verdict.js';
import { tempDir } from '../../helpers/mesh-fixture.js';

const hasPython = spawnSync('python3', ['-c', 'pass']).status === 0;

/** A port nothing listens on: one the OS gave, then closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('a method activity that fails, as chaoslib runs it', () => {
  const dir = tempDir();
  after(() => dir.remove());
  const fresh = (name: string, text = '') => dir.file(`${name}-${Math.random().toString(36).slice(2)}`, text);
  const node = JSON.stringify(process.execPath);
  /** An action that appends its name to `log` after `ms`, with node, no shell. */
  const note = (name: string, log: string, ms = 0, extra = '') => `  - { type: action, name: ${name}${extra}, provider: { type: process, path: ${node}, arguments: ["-e", "setTimeout(() => require('fs').appendFileSync('${log}', '${name};'), ${ms})"] } }`;
  const hypothesis = `steady-state-hypothesis:
  title: node answers
  probes:
    - { type: probe, name: node-runs, tolerance: 0, provider: { type: process, path: ${node}, arguments: ["-e", "0"] } }
`;
  const run = async (yaml: string, options: RunOptions = {}) => {
    const journalPath = fresh('journal.json');
    let printed = '';
    const out = { isTTY: false, write: (s: string) => ((printed += s), true) } as unknown as NodeJS.WriteStream;
    const journal = await runExperiment(loadExperiment(dir.file(`exp-${Math.random().toString(36).slice(2)}.yaml`, yaml)), { journalPath, events: progressPrinter(out), ...options });
    return { journal, printed, written: JSON.parse(readFileSync(journalPath, 'utf8')) as Journal & Record<string, unknown> };
  };

  it('is recorded, the next activity runs, the run completes and exits 0 as chaos run does, and the verdict says what was not tested', async () => {
    const log = fresh('log');
    const { journal, printed } = await run(`title: t
${hypothesis}method:
  - { type: action, name: broken, provider: { type: process, path: faultmesh-no-such-program } }
${note('after-it', log)}
rollbacks:
${note('undo', log)}
runtime: { rollbacks: { strategy: default } }
`);
    assert.equal(journal.status, 'completed', JSON.stringify(journal.stoppedBy));
    assert.equal(journal.stoppedBy, null);
    assert.equal(exitCodeOf(journal), 0);
    assert.deepEqual(journal.run.map((r) => [r.activity.name, r.status]), [['broken', 'failed'], ['after-it', 'succeeded']]);
    assert.equal(readFileSync(log, 'utf8'), 'after-it;undo;', 'the next activity ran, and so did the rollbacks (a failed action rolls back under default)');
    assert.equal(journal.steady_states.after?.met, true, 'the hypothesis was checked after the method');
    assert.match(verdictOf(journal), /^The hypothesis held, but 1 method activity failed \(broken: cannot run "faultmesh-no-such-program": .+ is not found on PATH .+\): what it would have done was not tested\. The steady state was met before and after the method: "node-runs" 0 before and 0 after \(= 0\)\.$/);
    assert.doesNotMatch(printed, /stopping/);
    assert.match(printed, /method action "broken": failed: cannot run/);
  });

  it('says "Completed, but ..." without a hypothesis, and counts two failures', async () => {
    const { journal } = await run(`title: t
method:
  - { type: action, name: one, provider: { type: process, path: faultmesh-no-such-program } }
  - { type: action, name: two, provider: { type: process, path: faultmesh-no-such-program-either } }
`);
    assert.equal(journal.status, 'completed');
    assert.match(verdictOf(journal), /^Completed, but 2 method activities failed \(one: cannot run "faultmesh-no-such-program": [^;]+; two: cannot run "faultmesh-no-such-program-either": .+\): what they would have done was not tested \(no steady-state hypothesis to check\)\.$/);
  });

  it('is written in the journal in method order, a background activity that ends last first', async () => {
    const log = fresh('log');
    const { journal, written } = await run(`title: t
method:
${note('slow-background', log, 600, ', background: true')}
${note('quick', log)}
  - { type: action, name: broken, provider: { type: process, path: faultmesh-no-such-program } }
${note('last', log)}
`);
    assert.equal(readFileSync(log, 'utf8'), 'quick;last;slow-background;', 'the background activity ended last');
    const order = ['slow-background', 'quick', 'broken', 'last'];
    assert.deepEqual(journal.run.map((r) => r.activity.name), order);
    assert.deepEqual((written.run as Array<{ activity: { name: string } }>).map((r) => r.activity.name), order, 'on disk too');
  });

  it('from a python provider keeps its traceback, and the method goes on', { skip: hasPython ? false : 'python3 is not installed' }, async () => {
    dir.file('exploding.py', 'def explode(reason):\n    raise RuntimeError(reason)\n');
    const log = fresh('log');
    const { journal, written } = await run(`title: t
${hypothesis}method:
  - { type: action, name: explode, provider: { type: python, module: exploding, func: explode, arguments: { reason: the disk is on fire } } }
${note('after-it', log)}
`);
    assert.equal(journal.status, 'completed');
    assert.equal(readFileSync(log, 'utf8'), 'after-it;');
    assert.match(verdictOf(journal), /^The hypothesis held, but 1 method activity failed \(explode: RuntimeError: the disk is on fire\): what it would have done was not tested\./);
    const record = (written.run as Array<{ exception?: string[] }>)[0]!;
    assert.match(record.exception?.join('') ?? '', /Traceback[\s\S]*RuntimeError: the disk is on fire/);
  });

  it('of faultmesh\'s fault provider, which cannot inject, stops the run: nothing was tested', async () => {
    const log = fresh('log');
    const admin = `http://127.0.0.1:${await closedPort()}`;
    const { journal, printed } = await run(`title: t
${hypothesis}method:
  - { type: action, name: pay-503, provider: { type: fault, admin: "${admin}", rule: { target: payments, abort: { status: 503 } }, duration: 5s } }
${note('after-it', log)}
`, { token: 'x' });
    assert.equal(journal.status, 'failed');
    assert.equal(exitCodeOf(journal), 1);
    assert.match(journal.stoppedBy ?? '', /^fault activity "pay-503" failed, so the run stops \(nothing was tested with that fault\): fault not injected/);
    assert.match(printed, /✗ stopping: fault activity "pay-503" failed/);
    assert.equal(existsSync(log) && readFileSync(log, 'utf8'), '', 'the next activity did not run');
    assert.equal(journal.steady_states.after, null);
  });
});

describe('rollbacks a strategy skips', () => {
  const dir = tempDir();
  after(() => dir.remove());
  const node = JSON.stringify(process.execPath);

  async function run(runtime: string, holdMs = 0) {
    const state = dir.file(`state-${Math.random().toString(36).slice(2)}`, 'ok');
    const journalPath = dir.file(`journal-${Math.random().toString(36).slice(2)}.json`, '');
    let printed = '';
    const out = { isTTY: false, write: (s: string) => ((printed += s), true) } as unknown as NodeJS.WriteStream;
    const file = dir.file(
      `exp-${Math.random().toString(36).slice(2)}.yaml`,
      `title: t
steady-state-hypothesis:
  title: the state is ok
  probes:
    - { type: probe, name: state-ok, tolerance: { type: regex, pattern: "^ok" }, provider: { type: process, path: ${node}, arguments: ["-e", "process.stdout.write(require('fs').readFileSync('${state}', 'utf8'))"] } }
method:
  - { type: action, name: break-it, provider: { type: process, path: ${node}, arguments: ["-e", "require('fs').writeFileSync('${state}', 'broken'); setTimeout(() => {}, ${holdMs})"] } }
rollbacks:
  - { type: action, name: undo, provider: { type: process, path: ${node}, arguments: ["-e", "require('fs').writeFileSync('${state}', 'ok')"] } }
runtime:
${runtime}
`,
    );
    const journal = await runExperiment(loadExperiment(file), { journalPath, events: progressPrinter(out) });
    return { journal, printed, written: JSON.parse(readFileSync(journalPath, 'utf8')) as Record<string, unknown> };
  }

  it('are said to be skipped after fail_fast, in progress, the journal and the report', async () => {
    const { journal, printed, written } = await run('  rollbacks: { strategy: default }\n  hypothesis: { strategy: continuously, frequency: 100ms, fail_fast: true }', 20_000);
    assert.equal(journal.status, 'failed');
    assert.deepEqual(journal.rollbacks, []);
    assert.match(printed, /^» rollbacks skipped: strategy default, and the hypothesis failed fast$/m);
    assert.equal(written.rollbacksSkipped, 'strategy default, and the hypothesis failed fast');
    assert.equal(runReport(journal).noRollbacks, 'No rollback ran: strategy default, and the hypothesis failed fast.');
    assert.match(renderMarkdown({ kind: 'run', journal }, 'charts').text, /_No rollback ran: strategy default, and the hypothesis failed fast\._/);
  });

  it('are said to be skipped by strategy never, and the field stays null when they ran', async () => {
    const never = await run('  rollbacks: { strategy: never }\n  hypothesis: { strategy: skip }');
    assert.match(never.printed, /^» rollbacks skipped: strategy never$/m);
    assert.equal(never.written.rollbacksSkipped, 'strategy never');
    const ran = await run('  rollbacks: { strategy: always }\n  hypothesis: { strategy: skip }');
    assert.equal(ran.written.rollbacksSkipped, null);
    assert.equal(ran.journal.rollbacks.length, 1);
    assert.doesNotMatch(ran.printed, /rollbacks skipped/);
    assert.equal(runReport(ran.journal).noRollbacks, 'No rollback ran.');
  });
});
