import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runPublisher } from '../../control/ui/run-publisher.js';
import type { RunValue } from '../../control/ui/run-schema.js';
import type { ActivityRecord, FaultRecord, HypothesisRecord, Journal } from '../../runner/journal.js';
import { startTestControl, type TestControl } from '../control/control-fixture.js';
import { waitFor } from '../helpers/wait.js';

const TOKEN = 'pub-token';

const probe = (value: number, met: boolean): ActivityRecord =>
  ({ activity: { type: 'probe', name: 'checkout-success' }, section: 'hypothesis', status: 'succeeded', value, output: value, tolerance: '>= 0.99', tolerance_met: met, start: '', end: '', duration: 0 }) as unknown as ActivityRecord;
const check = (value: number, met: boolean): HypothesisRecord => ({ at: new Date().toISOString(), met, probes: [probe(value, met)] });

describe('a run telling the control plane\u2019s dashboard what it does', () => {
  let control: TestControl;
  const runs = async () => (await control.call('GET', '/v1/runs')).json<{ runs: Array<RunValue & { lease?: string }> }>().runs;

  before(async () => {
    control = await startTestControl({ token: TOKEN });
  });
  after(async () => {
    await control?.stop();
  });

  it('registers the run under a lease of its own, with its phase, probes and faults, then keeps it finished with its verdict', async () => {
    const pub = runPublisher({ control: control.url, token: TOKEN, name: 'payments-abort', id: 'run-a', report: 'out/payments-abort.html', mask: (s) => s.replace('s3cret', '***') });
    pub.phase!('hypothesis-before');
    pub.hypothesisChecked!('before', check(1, true));
    pub.phase!('method');
    pub.faultInjected!({ id: 'abort-run-a-1' } as FaultRecord);
    pub.hypothesisChecked!('during', check(0.97, false));
    await waitFor(async () => (await runs()).some((r) => r.phase === 'method' && r.faults.includes('abort-run-a-1') && r.probes.length === 2), 'the run shows the method, its fault and both checks');
    const running = (await runs())[0]!;
    assert.deepEqual([running.kind, running.name, running.state, running.ownLease, running.report], ['experiment', 'payments-abort', 'running', false, 'out/payments-abort.html']);
    assert.deepEqual(running.probes.map((p) => [p.when, p.value, p.ok]), [['before', 1, true], ['during', 0.97, false]]);
    const runLease = running.lease!;

    const journal = { status: 'completed', deviated: true, phase: 'done', stoppedBy: null, steady_states: { before: check(1, true), during: [check(0.97, false)], after: check(1, true) }, run: [], safeguards: [], faults: [], errors: [] } as unknown as Journal;
    await pub.runEnded!(journal);
    const done = (await runs())[0]!;
    assert.equal(done.state, 'finished');
    assert.match(done.verdict ?? '', /^Deviated: /);
    assert.equal(done.ownLease, true, 'a finished run stays listed on a lease of its own');
    assert.equal((await control.call('POST', `/v1/leases/${runLease}/renew`)).status, 404, 'the run\u2019s lease was given back');
    await pub.close();
  });

  it('costs the run one warning, and nothing else, when the control plane cannot be reached', async () => {
    const said: string[] = [];
    const pub = runPublisher({ control: 'http://127.0.0.1:1', name: 'x', onError: (m) => said.push(m) });
    pub.phase!('method');
    pub.phase!('hypothesis-after');
    await waitFor(() => said.length > 0, 'the failure was told');
    await pub.close();
    assert.equal(said.length, 1, said.join('\n'));
    assert.match(said[0]!, /not shown on the control plane's dashboard: .*unreachable/);
  });
});

describe('a run\u2019s progress and its dashboard together', () => {
  it('gives every event to both, and a dashboard that throws stops neither the other nor the run', async () => {
    const { alsoTo } = await import('../../runner/events.js');
    const seen: string[] = [];
    const errors: string[] = [];
    const both = alsoTo({ phase: (p) => void seen.push(`progress ${p}`) }, { phase: () => { throw new Error('dashboard down'); } }, (name, err) => errors.push(`${name}: ${(err as Error).message}`));
    both.phase!('method');
    both.phase!('done');
    assert.deepEqual(seen, ['progress method', 'progress done']);
    assert.deepEqual(errors, ['phase: dashboard down', 'phase: dashboard down']);
  });
});
