import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { loadExperiment } from '../../../runner/experiment/load-experiment.js';
import { planOf } from '../../../runner/plan.js';
import { tempDir } from '../../helpers/mesh-fixture.js';

describe('the dry-run plan', () => {
  const dir = tempDir();
  after(() => dir.remove());
  const file = dir.file(
    'plan.yaml',
    `title: plan
steady-state-hypothesis:
  title: up
  probes:
    - { type: probe, name: up, tolerance: 0, provider: { type: process, path: "true" }, pauses: { after: 1.5 } }
method:
  - { type: action, name: break, provider: { type: process, path: sh, arguments: "-c 'echo hi | wc -c'" }, pauses: { before: 5, after: 2s } }
  - { type: action, name: argv, provider: { type: process, path: echo, arguments: [a, b] } }
rollbacks:
  - { type: action, name: fix, provider: { type: process, path: "true" }, pauses: { before: 250ms } }
runtime:
  rollbacks: { strategy: default }
  hypothesis: { strategy: continuously, frequency: 3 }
`,
  );
  const plan = (flags = {}) => planOf(loadExperiment(file), { leaseMs: 10_000, safeguardEveryMs: 2000, ...flags });

  it('lists the pauses of each activity that has them', () => {
    const text = plan();
    assert.match(text, /1\. action "break": run sh -c 'echo hi \| wc -c' \(through a shell\); pauses before 5s \/ after 2s$/m);
    assert.match(text, /2\. action "argv": run echo a b$/m);
    assert.match(text, /- probe "up": run true; tolerance = 0; pauses after 1500ms$/m);
    assert.match(text, /- action "fix": run true; pauses before 250ms$/m);
  });

  it('says when the steady state is checked and when the rollbacks run, from the file', () => {
    const text = plan();
    assert.match(text, /^Steady state "up", checked before and after the method and every 3s during it:$/m);
    assert.match(text, /^Rollbacks \(default: run unless the run is interrupted, a steady-state probe cannot run, or the hypothesis fails fast\):$/m);
  });

  it('follows the command line\'s strategies over the file\'s', () => {
    const text = plan({ rollbackStrategy: 'never', hypothesisStrategy: 'after-method-only' });
    assert.match(text, /^Steady state "up", checked after the method:$/m);
    assert.match(text, /^Rollbacks \(never: not run\):$/m);
  });
});
