import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { judgeDemoCanary, judgeDemoRun } from '../../demo/shop/demo-verdict.js';
import { describeLoad, loadSince, markLoad, tooBusy, type LoadReading } from '../../demo/shop/machine-load.js';
import type { CanaryDecision, Judgement } from '../../runner/canary/canary-types.js';
import type { ActivityRecord, FaultRecord, Journal } from '../../runner/journal.js';

const busy: LoadReading = { seconds: 4.5, cores: 2, cpuWait: 0.93, busyCores: 1.98, demoCores: 0.4 };
const quiet: LoadReading = { seconds: 20, cores: 2, cpuWait: 0.04, busyCores: 0.55, demoCores: 0.5 };

const p95 = (value: number): ActivityRecord =>
  ({ activity: { type: 'probe', name: 'frontend-p95-under-250ms', provider: { type: 'metric' } }, section: 'hypothesis', status: 'succeeded', output: value, value, tolerance: '<= 250', tolerance_met: value <= 250, start: '', end: '', duration: 4 }) as unknown as ActivityRecord;

function journal(fields: Partial<Journal>): Journal {
  return { status: 'completed', phase: 'done', deviated: false, stoppedBy: null, run: [], rollbacks: [], safeguards: [], errors: [], faults: [], steady_states: { before: null, after: null, during: [] }, ...fields } as unknown as Journal;
}

const failedBefore = journal({ status: 'failed', stoppedBy: 'the steady state was not met before the method; nothing was injected', steady_states: { before: { at: '', met: false, probes: [p95(2478)] }, after: null, during: [] } });
const fault = (hit: number): FaultRecord => ({ id: 'slow-catalog-eu-1-abc-1', activity: 'slow', rule: {}, admins: [], injectedAt: '', state: 'removed', counts: { matched: hit, hit }, errors: [] });
const held = (hit: number) => journal({ faults: [fault(hit)], steady_states: { before: { at: '', met: true, probes: [p95(40)] }, after: { at: '', met: true, probes: [p95(56)] }, during: [] } });

describe('what the demo says about a run', () => {
  it('says plainly that a busy machine could not judge a steady state that failed before any fault, with the load and the value seen', () => {
    const { outcome, verdict } = judgeDemoRun(failedBefore, busy);
    assert.equal(outcome, 'not judged');
    assert.match(verdict, /^Not judged: this machine was too busy to judge \(tasks waited for a CPU 93% of the time; 2\.0 of its 2 cores were busy: the demo 0\.4, other work 1\.6\)/);
    assert.match(verdict, /Failed before any fault: the steady state was not met, probe "frontend-p95-under-250ms" returned 2478, outside its tolerance \(<= 250\)\.$/);
  });

  it('keeps the run\'s own verdict on a quiet machine, and a hold on a busy one', () => {
    assert.deepEqual(judgeDemoRun(failedBefore, quiet).outcome, 'failed');
    const deviated = journal({ deviated: true, steady_states: { before: { at: '', met: true, probes: [p95(40)] }, after: { at: '', met: false, probes: [p95(369)] }, during: [] } });
    assert.equal(judgeDemoRun(deviated, quiet).outcome, 'deviated');
    assert.equal(judgeDemoRun(deviated, busy).outcome, 'not judged');
    assert.equal(judgeDemoRun(held(12), busy).outcome, 'held');
  });

  it('does not call a run held when its fault hit no request: nothing was tested', () => {
    const { outcome, verdict } = judgeDemoRun(held(0), quiet);
    assert.equal(outcome, 'not judged');
    assert.match(verdict, /the fault hit no request \(slow-catalog-eu-1-abc-1: matched 0, hit 0\), so nothing was tested/);
  });

  it('judges a machine without pressure readings by how busy its cores were, and claims nothing without any reading', () => {
    assert.equal(tooBusy({ ...busy, cpuWait: undefined }), true);
    assert.equal(tooBusy({ ...quiet, cpuWait: undefined }), false);
    const none: LoadReading = { seconds: 1, cores: 2, cpuWait: undefined, busyCores: undefined, demoCores: undefined };
    assert.equal(tooBusy(none), false);
    assert.equal(describeLoad(none), 'no load reading on this system');
  });

  it('reads this machine: the demo\'s own CPU time counts, every share stays within bounds', () => {
    const mark = markLoad();
    // Spin until this process has used 50 ms of CPU (bounded): its tree's share must show it, however busy the machine.
    const start = process.cpuUsage();
    for (let i = 0; i < 1e9; i++) {
      const used = process.cpuUsage(start);
      if (used.user + used.system >= 50_000) break;
    }
    const r = loadSince(mark);
    assert.ok(r.demoCores === undefined || r.demoCores > 0, JSON.stringify(r));
    if (r.cpuWait !== undefined) assert.ok(r.cpuWait >= 0 && r.cpuWait <= 1, JSON.stringify(r));
    if (r.busyCores !== undefined) assert.ok(r.busyCores >= 0 && r.busyCores <= r.cores + 0.01, JSON.stringify(r));
  });
});

describe('what the demo says about a canary', () => {
  const decided = (outcome: CanaryDecision['outcome'], sentence: string): CanaryDecision => ({ outcome, sentence, at: '', weight: 10 });
  const failed = { outcome: 'fail' } as unknown as Judgement;
  const promoted = decided('promoted', 'Promoted: every check passed at 10%, 50%.');

  it('adds the busy-machine caveat to a promotion, with the load, and keeps the promotion', () => {
    const { outcome, sentence } = judgeDemoCanary({ decision: promoted, judgements: [] }, busy, '{version: v1}');
    assert.equal(outcome, 'promoted');
    assert.match(sentence, /^Promoted: every check passed at 10%, 50%\. Judged on a busy machine \(tasks waited for a CPU 93% of the time; .*\): canary and stable shared the load, so the comparison stands, but their latencies include the wait for a CPU/);
  });

  it('calls a rollback without a failed check not judged on a busy machine, and keeps one with a failed check as it is', () => {
    const aborted = decided('aborted', 'Aborted at 10% (SIGINT): traffic returned to stable.');
    assert.match(judgeDemoCanary({ decision: aborted, judgements: [] }, busy, '{version: v1}').sentence, /^Aborted at 10% \(SIGINT\): traffic returned to stable\. Not judged: this machine was too busy \(.*\), so this decision may be the machine's rather than the release's; traffic is back on \{version: v1\} all the same\.$/);
    const rolledBack = decided('rolled-back', 'Rolled back at 10%: 2 failed checks.');
    assert.equal(judgeDemoCanary({ decision: rolledBack, judgements: [failed] }, busy, '{version: v1}').sentence, 'Rolled back at 10%: 2 failed checks.');
  });

  it('keeps every decision\'s own sentence on a quiet machine', () => {
    assert.equal(judgeDemoCanary({ decision: promoted, judgements: [] }, quiet, '{version: v1}').sentence, promoted.sentence);
    assert.deepEqual(judgeDemoCanary({ decision: null, judgements: [] }, quiet, '{version: v1}'), { outcome: 'failed', sentence: 'Ended without a decision.' });
  });
});
