import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ControlEntry, ControlSpec } from '../../../runner/controls/control-schema.js';
import { controlsAt, uniqueControls, type ControlLevel } from '../../../runner/controls/select-controls.js';

const control = (name: string, extra: Partial<ControlSpec> = {}): ControlSpec => ({ name, provider: { type: 'python', module: `m_${name}`, arguments: {} }, automatic: true, ...extra });

describe('which controls apply where (chaoslib\'s get_context_controls)', () => {
  const tracing = control('tracing');
  const manual = control('manual', { automatic: false });
  const top = [tracing, manual];
  const own = control('own');
  const mine = control('tracing', { provider: { type: 'python', module: 'm_mine', arguments: { level: 1 } } });
  const table: Array<[string, ControlLevel, readonly ControlEntry[] | undefined, string[]]> = [
    ['every top-level control around the experiment, automatic or not', 'experiment', undefined, ['m_tracing', 'm_manual']],
    ['the automatic ones around the method', 'method', undefined, ['m_tracing']],
    ['the automatic ones around the rollbacks, whatever the context declares', 'rollback', [own], ['m_tracing']],
    ['the automatic ones around an activity that declares none', 'activity', undefined, ['m_tracing']],
    ['the automatic ones first, then the activity\'s own', 'activity', [own], ['m_tracing', 'm_own']],
    ['the activity\'s own in place of a top-level one of the same name', 'activity', [mine], ['m_mine']],
    ['a top-level control that is not automatic, where a hypothesis refers to it', 'hypothesis', [{ ref: 'manual' }], ['m_tracing', 'm_manual']],
  ];
  for (const [what, level, context, modules] of table) {
    it(`applies ${what}`, () => assert.deepEqual(controlsAt(level, top, context).map((c) => c.provider.module), modules));
  }

  it('configures and cleans up each control once by name, the first declaration winning', () => {
    assert.deepEqual(uniqueControls([top, [own, mine, { ref: 'tracing' }], undefined]).map((c) => c.provider.module), ['m_tracing', 'm_manual', 'm_own']);
  });
});
