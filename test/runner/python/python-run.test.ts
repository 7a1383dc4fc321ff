import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { loadExperiment } from '../../../runner/experiment/load-experiment.js';
import type { Journal } from '../../../runner/journal.js';
import { resolvePython } from '../../../runner/python/python-env.js';
import { runExperiment } from '../../../runner/run-experiment.js';
import { pythonDir } from './python-fixture.js';

describe('running experiments with python providers', () => {
  const dir = pythonDir();
  after(() => dir.remove());
  const python = resolvePython();
  const run = async (yaml: string, vars: Record<string, unknown> = {}) => {
    const journalPath = join(dir.path, `journal-${Math.random().toString(36).slice(2)}.json`);
    const journal = await runExperiment(loadExperiment(dir.experiment(yaml), { vars, python }), { journalPath, python });
    return { journal, written: JSON.parse(readFileSync(journalPath, 'utf8')) as Journal & { run: Array<Record<string, unknown>> } };
  };

  it('moves a file with os.rename in the method, sees it gone with os.path.exists, and moves it back in the rollbacks', async () => {
    const marker = dir.file('marker', 'here');
    const moved = join(dir.path, 'moved');
    const { journal } = await run(`title: the marker stays
steady-state-hypothesis:
  title: the marker is there
  probes:
    - { type: probe, name: marker-exists, tolerance: true, provider: { type: python, module: os.path, func: exists, arguments: { path: "${marker}" } } }
method:
  - { type: action, name: move-it, provider: { type: python, module: os, func: rename, arguments: { src: "${marker}", dst: "${moved}" } } }
rollbacks:
  - { type: action, name: move-it-back, provider: { type: python, module: os, func: rename, arguments: { src: "${moved}", dst: "${marker}" } } }
`);
    assert.equal(journal.steady_states.before?.met, true, JSON.stringify(journal.steady_states.before));
    assert.equal(journal.steady_states.after?.met, false);
    assert.equal(journal.steady_states.after?.probes[0]?.output, false);
    assert.equal(journal.deviated, true);
    assert.equal(journal.run[0]?.status, 'succeeded');
    assert.equal(journal.rollbacks[0]?.status, 'succeeded', journal.rollbacks[0]?.error);
    assert.ok(existsSync(marker) && !existsSync(moved), 'the rollback moved the file back');
  });

  const replicas = `title: enough replicas
steady-state-hypothesis:
  title: replicas
  probes:
    - type: probe
      name: replicas
      provider: { type: python, module: fm_probe, func: answer, arguments: { kind: dict } }
      tolerance: { type: probe, name: at-least, provider: { type: python, module: fm_probe, func: at_least, arguments: { minimum: "\${minimum}" } } }
method:
  - { type: probe, name: noop, provider: { type: python, module: os, func: getcwd } }
`;

  it('meets a probe tolerance whose probe returns true, given the output as `value`, and records the probe\'s own result', async () => {
    const { journal, written } = await run(replicas, { minimum: 2 });
    assert.equal(journal.status, 'completed', journal.stoppedBy ?? '');
    const probe = journal.steady_states.before!.probes[0]!;
    assert.equal(probe.tolerance_met, true);
    assert.equal(probe.tolerance, 'probe "at-least"');
    assert.deepEqual(probe.tolerance_probe, { name: 'at-least', status: 'succeeded', output: true });
    assert.deepEqual((written.steady_states.before as unknown as { probes: Array<{ tolerance_probe: unknown }> }).probes[0]!.tolerance_probe, probe.tolerance_probe, 'the journal on disk has it too');
  });

  it('does not meet a probe tolerance whose probe returns false, nor one whose probe raises', async () => {
    const { journal } = await run(replicas, { minimum: 5 });
    assert.equal(journal.status, 'failed');
    assert.equal(journal.steady_states.before!.probes[0]!.tolerance_met, false);
    assert.equal(journal.steady_states.before!.probes[0]!.tolerance_probe?.output, false);
    const raising = await run(replicas.replace('func: at_least, arguments: { minimum: "${minimum}" }', 'func: fail, arguments: { message: "no replicas api" }'));
    const probe = raising.journal.steady_states.before!.probes[0]!;
    assert.equal(probe.status, 'succeeded', 'the judged probe itself ran');
    assert.equal(probe.tolerance_met, false);
    assert.equal(probe.tolerance_probe?.status, 'failed');
    assert.equal(probe.tolerance_probe?.error, 'fm_probe.ProbeFailed: no replicas api');
    assert.equal(probe.tolerance_probe?.exception?.at(-1), 'fm_probe.ProbeFailed: no replicas api\n');
  });

  it('records a python action that raises as failed, with the exception\'s type, message and traceback in the journal on disk, and the run goes on as chaoslib\'s does', async () => {
    const { journal, written } = await run(`title: a raising action
method:
  - { type: action, name: boom, provider: { type: python, module: fm_probe, func: fail, arguments: { message: "no route to host" } } }
`);
    assert.equal(journal.status, 'completed');
    assert.equal(journal.stoppedBy, null);
    assert.equal(journal.run[0]!.error, 'fm_probe.ProbeFailed: no route to host');
    const record = written.run[0]!;
    assert.equal(record.status, 'failed');
    const exception = record.exception as string[];
    assert.equal(exception[0], 'Traceback (most recent call last):\n');
    assert.equal(exception.at(-1), 'fm_probe.ProbeFailed: no route to host\n');
  });
});
