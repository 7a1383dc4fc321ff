import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { ConfigError } from '../../../proxy/config/config-error.js';
import { loadExperiment } from '../../../runner/experiment/load-experiment.js';
import { HYPOTHESIS_STRATEGIES, ROLLBACK_STRATEGIES } from '../../../runner/experiment/runtime-schema.js';
import type { HypothesisRecord, Journal } from '../../../runner/journal.js';
import { describeRuntime, hypothesisPlan, rollbackStrategyOf, rollbacksSkippedBecause, shouldRollBack, type HypothesisPlan } from '../../../runner/runtime.js';
import { tempDir } from '../../helpers/mesh-fixture.js';

const dir = tempDir();
after(() => dir.remove());

/** An experiment with one hypothesis probe; `runtime` and `during` are written as given. */
function load(runtime: string, during = ''): ReturnType<typeof loadExperiment> {
  const file = dir.file(`rt-${Math.random().toString(36).slice(2)}.yaml`, `title: t
steady-state-hypothesis:
  title: h
${during ? `  during: ${during}\n` : ''}  probes:
    - { type: probe, name: p, tolerance: 0, provider: { type: process, path: "true" } }
method:
  - { type: action, name: a, provider: { type: process, path: "true" } }
${runtime ? `runtime:\n${runtime}\n` : ''}`);
  return loadExperiment(file);
}
const refusal = (runtime: string, during = ''): string => {
  try {
    load(runtime, during);
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    return err.message;
  }
  assert.fail('expected the experiment to be refused');
};

describe('the runtime block of an experiment', () => {
  for (const strategy of ROLLBACK_STRATEGIES) {
    it(`takes rollback strategy ${strategy}`, () => {
      assert.equal(load(`  rollbacks: { strategy: ${strategy} }`).runtime.rollbacks?.strategy, strategy);
    });
  }
  for (const strategy of HYPOTHESIS_STRATEGIES) {
    it(`takes hypothesis strategy ${strategy}`, () => {
      assert.equal(load(`  hypothesis: { strategy: ${strategy} }`).runtime.hypothesis?.strategy, strategy);
    });
  }

  it('takes Chaos Toolkit\'s old spelling "continously" for continuously', () => {
    assert.equal(load('  hypothesis: { strategy: continously }').runtime.hypothesis?.strategy, 'continuously');
  });

  it('takes frequency in seconds or as a duration, and fail_fast', () => {
    assert.deepEqual(load('  hypothesis: { strategy: continuously, frequency: 0.5, fail_fast: true }').runtime.hypothesis, { strategy: 'continuously', frequency: 500, fail_fast: true });
    assert.equal(load('  hypothesis: { frequency: 2s }').runtime.hypothesis?.frequency, 2000);
  });

  for (const [what, runtime, expected] of [
    ['an unknown rollback strategy', '  rollbacks: { strategy: sometimes }', /:\d+:\d+ runtime\.rollbacks\.strategy: strategy is one of default, always, never, deviated$/m],
    ['an unknown hypothesis strategy', '  hypothesis: { strategy: twice }', /runtime\.hypothesis\.strategy: strategy is one of default, before-method-only, after-method-only, during-method-only, continuously, skip$/m],
    ['a frequency of zero', '  hypothesis: { frequency: 0 }', /runtime\.hypothesis\.frequency: frequency must be above 0/],
    ['a key Chaos Toolkit does not have', '  hypothesis: { fail_fast_ratio: 10 }', /runtime\.hypothesis\.fail_fast_ratio: unknown field/],
  ] as const) {
    it(`refuses ${what}, naming the field`, () => {
      assert.match(refusal(runtime), expected);
    });
  }
});

describe('steady-state-hypothesis.during beside runtime.hypothesis', () => {
  it('alone means continuously at that frequency', () => {
    const plan = hypothesisPlan(load('', 'every 5s'));
    assert.deepEqual(plan, { strategy: 'continuously', before: true, after: true, during: { everyMs: 5000, failFast: false } });
  });

  it('agrees with continuously or during-method-only and the same frequency', () => {
    assert.equal(hypothesisPlan(load('  hypothesis: { strategy: continuously, frequency: 5 }', 'every 5s')).during?.everyMs, 5000);
    assert.deepEqual(hypothesisPlan(load('  hypothesis: { strategy: during-method-only }', 'every 2s')), { strategy: 'during-method-only', before: false, after: false, during: { everyMs: 2000, failFast: false } });
  });

  it('is refused with a strategy that does not check during the method', () => {
    assert.match(refusal('  hypothesis: { strategy: before-method-only }', 'every 5s'), /steady-state-hypothesis\.during: during checks the hypothesis every 5s while the method runs, but runtime\.hypothesis\.strategy "before-method-only" does not check it then: remove one, or make the strategy continuously/);
  });

  it('is refused with another frequency', () => {
    assert.match(refusal('  hypothesis: { strategy: continuously, frequency: 2 }', 'every 5s'), /runtime\.hypothesis\.frequency: frequency 2s disagrees with steady-state-hypothesis\.during \(every 5s\): give the frequency in one place/);
  });
});

describe('the strategies a run uses', () => {
  it('are the flags first, then the file, then the defaults (rollbacks always, hypothesis before and after)', () => {
    const plain = load('');
    assert.equal(rollbackStrategyOf(plain), 'always');
    assert.deepEqual(hypothesisPlan(plain), { strategy: 'default', before: true, after: true, during: undefined });
    const file = load('  rollbacks: { strategy: deviated }\n  hypothesis: { strategy: continuously, frequency: 3, fail_fast: true }');
    assert.equal(rollbackStrategyOf(file), 'deviated');
    assert.equal(rollbackStrategyOf(file, { rollbackStrategy: 'never' }), 'never');
    assert.deepEqual(hypothesisPlan(file, { hypothesisEveryMs: 250, failFast: false }).during, { everyMs: 250, failFast: false });
    assert.deepEqual(hypothesisPlan(file, { hypothesisStrategy: 'after-method-only' }), { strategy: 'after-method-only', before: false, after: true, during: undefined });
  });

  it('check during the method every second when nothing gives a frequency, as Chaos Toolkit does', () => {
    assert.equal(hypothesisPlan(load('  hypothesis: { strategy: during-method-only }')).during?.everyMs, 1000);
  });

  it('read in words in the dry-run plan', () => {
    assert.deepEqual(describeRuntime(hypothesisPlan(load('', 'every 5s')), 'default'), {
      hypothesis: 'checked before and after the method and every 5s during it',
      rollbacks: 'default: run unless the run is interrupted, a steady-state probe cannot run, or the hypothesis fails fast',
    });
    assert.equal(describeRuntime(hypothesisPlan(load('  hypothesis: { strategy: during-method-only, fail_fast: true }')), 'never').hypothesis, 'checked only every 1s during the method (the first check not met stops the run)');
    assert.equal(describeRuntime(hypothesisPlan(load('  hypothesis: { strategy: skip }')), 'never').rollbacks, 'never: not run');
  });
});

describe('whether the rollbacks run', () => {
  const probe = (status: 'succeeded' | 'failed', met: boolean) => ({ activity: { name: 'health' }, status, tolerance_met: met }) as HypothesisRecord['probes'][number];
  const check = (...probes: HypothesisRecord['probes']): HypothesisRecord => ({ at: '', met: probes.every((p) => p.status === 'succeeded' && p.tolerance_met), probes });
  const journal = (parts: Partial<Journal['steady_states']> & { deviated?: boolean }): Pick<Journal, 'deviated' | 'steady_states'> => ({
    deviated: parts.deviated ?? false,
    steady_states: { before: parts.before ?? null, after: parts.after ?? null, during: parts.during ?? [] } as Journal['steady_states'],
  });
  const plain: HypothesisPlan = { strategy: 'default', before: true, after: true, during: undefined };
  const failingFast: HypothesisPlan = { strategy: 'continuously', before: true, after: true, during: { everyMs: 100, failFast: true } };

  // The reason is what progress, the journal's rollbacksSkipped and the report say after "No rollback ran: ".
  const cases: Array<[string, Parameters<typeof shouldRollBack>, string | undefined]> = [
    ['always, after an interrupt', ['always', journal({}), { kind: 'interrupted', message: 'x' }, plain], undefined],
    ['never, after a completed run', ['never', journal({}), undefined, plain], 'strategy never'],
    ['deviated, when the run deviated', ['deviated', journal({ deviated: true }), undefined, plain], undefined],
    ['deviated, when it did not', ['deviated', journal({}), undefined, plain], 'strategy deviated, and the steady state did not deviate'],
    ['default, after a completed run', ['default', journal({ before: check(probe('succeeded', true)) }), undefined, plain], undefined],
    ['default, after a deviation', ['default', journal({ deviated: true, after: check(probe('succeeded', false)) }), undefined, plain], undefined],
    ['default, after a safeguard aborted the run', ['default', journal({}), { kind: 'safeguard', message: 'x' }, plain], undefined],
    ['default, when the steady state was not met before but every probe ran', ['default', journal({ before: check(probe('succeeded', false)) }), { kind: 'failed', message: 'x' }, plain], undefined],
    ['default, when a steady-state probe could not run', ['default', journal({ before: check(probe('failed', false)) }), { kind: 'failed', message: 'x' }, plain], 'strategy default, and steady-state probe "health" could not run'],
    ['default, after an interrupt', ['default', journal({}), { kind: 'interrupted', message: 'x' }, plain], 'strategy default, and the run was interrupted'],
    ['default, when the hypothesis failed fast', ['default', journal({ deviated: true, during: [check(probe('succeeded', false))] }), { kind: 'failed', message: 'x' }, failingFast], 'strategy default, and the hypothesis failed fast'],
  ];
  for (const [what, args, reason] of cases) {
    it(`${reason === undefined ? 'yes' : `no (${reason})`}: ${what}`, () => {
      assert.equal(shouldRollBack(...args), reason === undefined);
      assert.equal(rollbacksSkippedBecause(...args), reason);
    });
  }
});
