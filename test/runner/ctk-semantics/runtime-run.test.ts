import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { loadExperiment } from '../../../runner/experiment/load-experiment.js';
import { runExperiment, type RunOptions } from '../../../runner/run-experiment.js';
import { verdictOf } from '../../../runner/verdict.js';
import { tempDir } from '../../helpers/mesh-fixture.js';
import { waitFor } from '../../helpers/wait.js';

describe('a run under Chaos Toolkit\'s runtime strategies', () => {
  const dir = tempDir();
  after(() => dir.remove());
  const fresh = (name: string, text = '') => dir.file(`${name}-${Math.random().toString(36).slice(2)}`, text);

  /**
   * An experiment whose one probe logs each check to `log` and passes while
   * `state` says ok; its method breaks the state (if asked), then takes
   * `methodSeconds`; its rollback leaves a mark.
   */
  function experiment(o: { runtime?: string; during?: string; breaks?: boolean; methodSeconds?: number; probePath?: string }) {
    const state = fresh('state', 'ok');
    const log = fresh('log');
    const mark = fresh('mark');
    const file = dir.file(
      `exp-${Math.random().toString(36).slice(2)}.yaml`,
      `title: runtime
steady-state-hypothesis:
  title: the state is ok
${o.during ? `  during: ${o.during}\n` : ''}  probes:
    - type: probe
      name: state-ok
      tolerance: { type: regex, pattern: "^ok" }
      provider: { type: process, path: ${o.probePath ?? 'sh'}, arguments: "-c 'echo check >> ${log}; cat ${state}'" }
method:
  - type: action
    name: change
    provider: { type: process, path: sh, arguments: "-c '${o.breaks ? `echo broken > ${state}; ` : ''}sleep ${o.methodSeconds ?? 0}'" }
rollbacks:
  - { type: action, name: undo, provider: { type: process, path: sh, arguments: "-c 'echo ok > ${state}; echo undone > ${mark}'" } }
${o.runtime ? `runtime:\n${o.runtime}\n` : ''}`,
    );
    const checks = () => readFileSync(log, 'utf8').split('\n').filter(Boolean).length;
    return { file, checks, rolledBack: () => existsSync(mark) && readFileSync(mark, 'utf8').trim() === 'undone' };
  }
  const run = (file: string, options: RunOptions = {}) => runExperiment(loadExperiment(file), options);

  it('after-method-only checks once, after the method, and finds the deviation', async () => {
    const e = experiment({ runtime: '  hypothesis: { strategy: after-method-only }', breaks: true });
    const journal = await run(e.file);
    assert.equal(journal.steady_states.before, null);
    assert.equal(journal.steady_states.after?.met, false);
    assert.equal(journal.deviated, true);
    assert.equal(e.checks(), 1);
  });

  it('before-method-only checks once, before, and so sees no deviation after', async () => {
    const e = experiment({ runtime: '  hypothesis: { strategy: before-method-only }', breaks: true });
    const journal = await run(e.file);
    assert.equal(journal.steady_states.before?.met, true);
    assert.equal(journal.steady_states.after, null);
    assert.equal(journal.deviated, false);
    assert.equal(e.checks(), 1);
    assert.match(verdictOf(journal), /^The hypothesis held: the steady state was met before the method: "state-ok"/);
  });

  it('during-method-only checks at once and then every frequency, never before or after', async () => {
    const e = experiment({ runtime: '  hypothesis: { strategy: during-method-only, frequency: 0.1 }', methodSeconds: 0.5 });
    const journal = await run(e.file);
    assert.equal(journal.steady_states.before, null);
    assert.equal(journal.steady_states.after, null);
    assert.ok(journal.steady_states.during.length >= 2, `${journal.steady_states.during.length} checks during the method`);
    assert.ok(journal.steady_states.during.every((h) => h.met));
    assert.match(verdictOf(journal), /^The hypothesis held: the steady state was met at \d+ checks during the method/);
  });

  it('continuously, from the file, checks before, during and after', async () => {
    const e = experiment({ runtime: '  hypothesis: { strategy: continuously, frequency: 100ms }', methodSeconds: 0.4 });
    const journal = await run(e.file);
    assert.equal(journal.steady_states.before?.met, true);
    assert.equal(journal.steady_states.after?.met, true);
    assert.ok(journal.steady_states.during.length >= 1);
    assert.equal(e.checks(), 2 + journal.steady_states.during.length);
  });

  it('skip never checks the hypothesis', async () => {
    const e = experiment({ runtime: '  hypothesis: { strategy: skip }', breaks: true });
    const journal = await run(e.file);
    assert.equal(journal.steady_states.before, null);
    assert.equal(journal.steady_states.after, null);
    assert.deepEqual(journal.steady_states.during, []);
    assert.equal(e.checks(), 0);
    assert.equal(journal.deviated, false);
  });

  it('fail_fast stops the run at the first check during the method that is not met, long before the method would end', async () => {
    const e = experiment({ runtime: '  hypothesis: { strategy: continuously, frequency: 100ms, fail_fast: true }', breaks: true, methodSeconds: 30 });
    const started = performance.now();
    const journal = await run(e.file);
    assert.ok(performance.now() - started < 20_000, 'the 30 s method was cut short');
    assert.equal(journal.status, 'failed');
    assert.equal(journal.deviated, true);
    assert.match(journal.stoppedBy ?? '', /not met during the method, and fail_fast stops the run/);
    assert.equal(journal.steady_states.during.filter((h) => !h.met).length, 1);
    // Chaos Toolkit's default strategy plays no rollbacks for a run that failed fast; faultmesh's default is always.
    assert.equal(e.rolledBack(), true);
  });

  it('rollbacks "default" skips them when the hypothesis failed fast, and --fail-fast as a flag does the same', async () => {
    const e = experiment({ runtime: '  rollbacks: { strategy: default }', during: 'every 100ms', breaks: true, methodSeconds: 30 });
    const journal = await run(e.file, { failFast: true });
    assert.equal(journal.status, 'failed');
    assert.equal(e.rolledBack(), false);
    assert.deepEqual(journal.rollbacks, []);
  });

  it('rollbacks "default" runs them after a deviation', async () => {
    const e = experiment({ runtime: '  rollbacks: { strategy: default }', breaks: true });
    const journal = await run(e.file);
    assert.equal(journal.deviated, true);
    assert.equal(e.rolledBack(), true);
  });

  it('rollbacks "default" skips them when a steady-state probe cannot run', async () => {
    const e = experiment({ runtime: '  rollbacks: { strategy: default }', probePath: 'faultmesh-no-such-program' });
    const journal = await run(e.file);
    assert.equal(journal.steady_states.before?.probes[0]?.status, 'failed');
    assert.equal(e.rolledBack(), false);
  });

  it('rollbacks "default" skips them when the run is interrupted, and the flag wins over the file', async () => {
    const interrupted = async (options: RunOptions) => {
      const e = experiment({ runtime: '  rollbacks: { strategy: default }', methodSeconds: 30 });
      const interrupt = new AbortController();
      const running = run(e.file, { ...options, interrupt: interrupt.signal });
      await waitFor(() => e.checks() === 1, 'the steady state was checked before the method');
      interrupt.abort('SIGINT');
      const journal = await running;
      assert.equal(journal.status, 'interrupted');
      return e.rolledBack();
    };
    assert.equal(await interrupted({}), false);
    assert.equal(await interrupted({ rollbackStrategy: 'always' }), true);
  });

  it('a hypothesis strategy flag wins over the file', async () => {
    const e = experiment({ runtime: '  hypothesis: { strategy: skip }' });
    const journal = await run(e.file, { hypothesisStrategy: 'default' });
    assert.equal(journal.steady_states.before?.met, true);
    assert.equal(journal.steady_states.after?.met, true);
    assert.equal(e.checks(), 2);
  });

  it('rollbacks "never" in the file keeps them from running', async () => {
    const e = experiment({ runtime: '  rollbacks: { strategy: never }' });
    await run(e.file);
    assert.equal(e.rolledBack(), false);
  });
});
