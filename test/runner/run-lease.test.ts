import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadExperiment } from '../../runner/experiment/load-experiment.js';
import { runExperiment } from '../../runner/run-experiment.js';
import { startTestControl, type TestControl } from '../control/control-fixture.js';
import { tempDir } from '../helpers/mesh-fixture.js';
import { waitFor } from '../helpers/wait.js';

interface ListedFault { id: string; lease?: string }

describe('a run on the control plane holds one lease there', () => {
  let control: TestControl;
  const dir = tempDir();
  before(async () => (control = await startTestControl()));
  after(async () => {
    await control.stop();
    dir.remove();
  });
  const faults = async () => (await control.call('GET', '/v1/faults')).json<{ faults: ListedFault[] }>().faults;
  const experiment = (name: string, holdFor: string) =>
    loadExperiment(
      dir.file(
        `${name}.yaml`,
        `title: ${name}
configuration: { control: "${control.url}" }
method:
  - { type: action, name: pay-503, background: true, provider: { type: fault, rule: { target: payments, abort: { status: 503 } }, duration: ${holdFor} } }
  - { type: action, name: cat-slow, provider: { type: fault, rule: { target: catalog, delay: { fixed: 10ms } }, duration: ${holdFor} } }
`,
      ),
      { env: {} },
    );

  it('hangs every fault of the run on that one lease, and revokes it at the end', async () => {
    const run = runExperiment(experiment('two-faults', '3s'), { leaseMs: 3000 });
    await waitFor(async () => (await faults()).length === 2, 'both faults are on the control plane');
    const held = await faults();
    const leases = new Set(held.map((f) => f.lease));
    assert.equal(leases.size, 1, `one lease for both faults: ${JSON.stringify(held)}`);
    const [lease] = [...leases];
    assert.ok(lease, 'the faults hang on a holder lease, not their own ttls');
    const journal = await run;
    assert.equal(journal.status, 'completed', JSON.stringify(journal.errors));
    assert.deepEqual(journal.faults.map((f) => f.state), ['removed', 'removed']);
    assert.deepEqual(await faults(), []);
    assert.equal((await control.call('POST', `/v1/leases/${lease}/renew`)).status, 404, 'the run revoked its lease');
  });

  it('fails the run when the control plane halts, though the run lease itself lives on', async () => {
    const run = runExperiment(experiment('halted', '20s'), { leaseMs: 1500 });
    await waitFor(async () => (await faults()).length === 2, 'both faults are on the control plane');
    assert.equal((await control.call('POST', '/v1/halt')).status, 200);
    const journal = await run;
    await control.call('POST', '/v1/resume');
    assert.equal(journal.status, 'interrupted');
    assert.match(journal.stoppedBy ?? '', /emergency halt on http:\/\/127\.0\.0\.1:\d+ removed fault pay-503-/);
  });
});
