import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { loadExperiment } from '../../../runner/experiment/load-experiment.js';
import { resolvePython } from '../../../runner/python/python-env.js';
import { runExperiment, type RunOptions } from '../../../runner/run-experiment.js';
import { startFaultFixture, TOKEN, type FaultFixture } from '../../helpers/fault-fixture.js';
import { send } from '../../helpers/http-client.js';
import { waitFor } from '../../helpers/wait.js';
import { pythonDir } from './python-fixture.js';

interface Hook {
  readonly hook: string;
  readonly tracer_open: boolean;
  readonly seen: number;
  readonly [field: string]: unknown;
}

describe('Chaos Toolkit controls', () => {
  const dir = pythonDir();
  let mesh: FaultFixture;
  before(async () => (mesh = await startFaultFixture({ timeoutMs: 2000 })));
  after(async () => {
    await mesh.stop();
    dir.remove();
  });
  const python = resolvePython();
  const faultsOnProxy = async () => (await send(mesh.proxy.adminUrl, { path: '/v1/faults' })).json<{ faults: unknown[] }>().faults;
  const hooksIn = (log: string): Hook[] => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Hook) : []);

  /** An experiment with the test control (fm_control) at the top level; `args` go to every hook, `parts` fill in the rest. */
  function experiment(log: string, args: string, parts: { method: string; rollbacks?: string }): string {
    return dir.experiment(`title: traced
configuration:
  region: eu-west
controls:
  - name: tracing
    provider: { type: python, module: fm_control, arguments: { log: "${log}"${args} } }
steady-state-hypothesis:
  title: the folder is there
  probes:
    - { type: probe, name: folder, tolerance: true, provider: { type: python, module: os.path, func: exists, arguments: { path: "${dir.path}" } } }
method:
${parts.method}
${parts.rollbacks ? `rollbacks:\n${parts.rollbacks}\n` : ''}`);
  }
  const action = (name: string) => `  - { type: action, name: ${name}, provider: { type: python, module: os, func: getcwd } }`;
  const run = (file: string, options: RunOptions = {}) => runExperiment(loadExperiment(file, { python }), { python, leaseMs: 2000, token: TOKEN, ...options });

  it('calls the hooks in Chaos Toolkit\'s order, in one process whose module state lasts the whole run', async () => {
    const log = dir.file('order.jsonl', '');
    const journal = await run(experiment(log, '', { method: [action('first'), action('second')].join('\n'), rollbacks: action('undo') }));
    assert.equal(journal.status, 'completed', JSON.stringify(journal.errors));
    assert.deepEqual(journal.errors, []);
    const hooks = hooksIn(log);
    const around = (name: string) => [`before_activity_control ${name}`, `after_activity_control ${name}`];
    assert.deepEqual(
      hooks.map((h) => (h.name ? `${h.hook} ${String(h.name)}` : h.hook)),
      [
        'configure_control',
        'before_experiment_control',
        'before_hypothesis_control',
        ...around('folder'),
        'after_hypothesis_control',
        'before_method_control',
        ...around('first'),
        ...around('second'),
        'after_method_control',
        'before_hypothesis_control',
        ...around('folder'),
        'after_hypothesis_control',
        'before_rollback_control',
        ...around('undo'),
        'after_rollback_control',
        'after_experiment_control',
        'cleanup_control',
      ],
    );
    // One process: the counter went up by one per hook, and the tracer stayed open from before_experiment to after_experiment.
    assert.deepEqual(hooks.map((h) => h.seen), hooks.map((_, i) => i + 1));
    assert.ok(hooks.slice(1, -2).every((h) => h.tracer_open), 'the tracer was open between the experiment hooks');
    assert.equal(hooks.at(-1)!.tracer_open, false);
    // What the hooks were given: the experiment and its configuration, the records as state.
    assert.deepEqual(hooks[0], { hook: 'configure_control', tracer_open: false, seen: 1, title: 'traced', configuration: { region: 'eu-west' } });
    assert.equal(hooks.find((h) => h.hook === 'after_hypothesis_control')?.met, true);
    assert.equal(hooks.find((h) => h.hook === 'after_method_control')?.runs, 2);
    assert.equal(hooks.find((h) => h.hook === 'after_activity_control')?.status, 'succeeded');
    assert.equal(hooks.find((h) => h.hook === 'after_experiment_control')?.status, 'completed');
  });

  it('records a control that raises in journal.errors, and the run goes on', async () => {
    const log = dir.file('raise.jsonl', '');
    const journal = await run(experiment(log, ', raise_in: before_method_control', { method: action('first') }));
    assert.equal(journal.status, 'completed');
    assert.deepEqual(journal.errors.map((e) => e.message), ['control "tracing" failed in before_method_control: ValueError: control broke in before_method_control']);
    assert.equal(journal.run[0]?.status, 'succeeded');
    assert.ok(hooksIn(log).some((h) => h.hook === 'cleanup_control'));
  });

  it('stops the run as interrupted on InterruptExecution: the fault is removed and the rollbacks still run', async () => {
    const log = dir.file('interrupt.jsonl', '');
    const fault = `  - { type: action, name: pay-503, background: true, provider: { type: fault, admin: "${mesh.proxy.adminUrl}", rule: { target: payments, abort: { status: 503 } }, duration: 30s } }`;
    const started = performance.now();
    const journal = await run(experiment(log, ', interrupt_in: "before_activity_control:next"', { method: [fault, action('next')].join('\n'), rollbacks: action('undo') }));
    assert.equal(journal.status, 'interrupted', JSON.stringify(journal.errors));
    assert.equal(journal.stoppedBy, 'control "tracing" interrupted the run in before_activity_control: fm_control.InterruptExecution: stop the run from before_activity_control:next');
    assert.ok(performance.now() - started < 20_000, 'the 30 s fault did not run its course');
    assert.equal(journal.faults.length, 1);
    assert.equal(journal.faults[0]!.state, 'removed');
    assert.deepEqual(await faultsOnProxy(), []);
    assert.equal(journal.rollbacks[0]?.status, 'succeeded');
    const hooks = hooksIn(log).map((h) => h.hook);
    assert.ok(hooks.includes('after_rollback_control') && hooks.includes('after_experiment_control'), hooks.join(', '));
  });

  it('does not let a hook that hangs hold up an interrupted run: its process is killed and the rollbacks run', async () => {
    const log = dir.file('hang.jsonl', '');
    const marker = dir.file('hang-marker', '');
    const interrupt = new AbortController();
    const rollback = `  - { type: action, name: mark, provider: { type: process, path: "${process.execPath}", arguments: ["-e", "require('fs').writeFileSync('${marker}', 'rolled back')"] } }`;
    const running = run(experiment(log, ', hang_in: before_method_control', { method: action('first'), rollbacks: rollback }), { interrupt: interrupt.signal });
    await waitFor(() => hooksIn(log).some((h) => h.hook === 'before_method_control'), 'the hook hangs');
    const stoppedAt = performance.now();
    interrupt.abort('SIGINT');
    const journal = await running;
    assert.ok(performance.now() - stoppedAt < 15_000, `the run ended ${Math.round(performance.now() - stoppedAt)} ms after the interrupt`);
    assert.equal(journal.status, 'interrupted');
    assert.equal(readFileSync(marker, 'utf8'), 'rolled back');
    assert.ok(journal.errors.some((e) => /before_method_control was still running 5s after the run stopped; its Python process was killed/.test(e.message)), JSON.stringify(journal.errors));
  });
});
