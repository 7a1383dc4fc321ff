import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CanaryFile } from '../../../runner/canary/canary-schema.js';
import type { CanaryJournal } from '../../../runner/canary/canary-types.js';
import type { Experiment } from '../../../runner/experiment/load-experiment.js';
import type { ActivityRecord } from '../../../runner/journal.js';
import { canaryTraceOf } from '../../../runner/tracing/run-trace.js';
import { waitFor } from '../../helpers/wait.js';
import { startOtlpReceiver, type OtlpReceiver } from '../../proxy/tracing/otlp-receiver.js';

const t0 = Date.parse('2026-12-01T10:00:00.000Z');
const at = (s: number) => new Date(t0 + s * 1000).toISOString();

const canary = {
  file: 'canary.yaml',
  name: 'catalog-v2',
  service: 'catalog',
  stable: { version: 'v1' },
  canary: { version: 'v2' },
  steps: [10, 50],
  chaos: [{ at: 10, file: 'latency.yaml', experiment: { title: 'catalog under latency' } as Experiment }],
} as unknown as CanaryFile;

const journal = {
  name: 'catalog-v2',
  start: at(0),
  end: at(40),
  status: 'rolled-back',
  weight: 50,
  weights: [
    { at: at(0), weight: 10 },
    { at: at(20), weight: 50 },
  ],
  judgements: [
    { at: at(15), step: 1, weight: 10, outcome: 'pass', reason: 'error ratio within 1 point', failedChecks: 0 },
    { at: at(35), step: 2, weight: 50, outcome: 'fail', reason: 'canary error ratio 4.1% vs stable 0.3%', failedChecks: 1 },
  ],
  decision: { outcome: 'rolled-back', sentence: 'Rolled back at 50%: canary error ratio 4.1% vs stable 0.3%.', at: at(40), weight: 50 },
} as unknown as CanaryJournal;

describe('a canary release as a trace', () => {
  let collector: OtlpReceiver;
  before(async () => (collector = await startOtlpReceiver()));
  after(() => collector.close());

  it('has its steps as spans with their times and judgements, its chaos stage runs under it, and its decision on its span', async () => {
    const trace = await canaryTraceOf({ url: `${collector.url}/v1/traces`, flushMs: 20 }, canary);
    // What runCanary hands a chaos stage's experiment run: the stage's spans as children of the canary's.
    const stage = trace.options({} as never as Parameters<typeof trace.options>[0]).chaosRun!(10);
    stage.events!.phase!('method');
    stage.events!.activityStarted!({ type: 'action', name: 'slow-catalog', provider: { type: 'fault' } } as never, 'method');
    const faultContext = stage.faultTraceparent!('slow-catalog');
    stage.events!.activityEnded!({ activity: { name: 'slow-catalog' }, status: 'succeeded' } as unknown as ActivityRecord);
    stage.events!.runEnded!({ runId: 'abc123', status: 'completed', deviated: false, stoppedBy: null } as never);
    await trace.close(journal);
    await waitFor(() => collector.spans.length >= 6, 'the canary, its steps and the stage arrived');

    const root = collector.spans.find((s) => s.name === 'canary catalog-v2')!;
    assert.ok(root, collector.spans.map((s) => s.name).join(', '));
    assert.equal(root.status.code, 2, 'rolled back: an error');
    assert.match(String(root.status.message), /Rolled back at 50%/);
    assert.equal(root.attributes['faultmesh.canary.status'], 'rolled-back');
    const steps = collector.spans.filter((s) => s.parentSpanId === root.spanId && s.name.startsWith('step '));
    assert.deepEqual(steps.map((s) => s.name).sort(), ['step 1 at 10%', 'step 2 at 50%']);
    const second = steps.find((s) => s.name === 'step 2 at 50%')!;
    assert.equal(second.startNs, BigInt(t0 + 20_000) * 1_000_000n, 'from its weight change');
    assert.equal(second.endNs, BigInt(t0 + 40_000) * 1_000_000n, 'to the end of the canary');
    assert.deepEqual(second.events.map((e) => e.name), ['judged fail']);
    assert.equal(second.status.code, 2);

    const stageRun = collector.spans.find((s) => s.name === 'experiment catalog under latency')!;
    assert.equal(stageRun.parentSpanId, root.spanId, "the chaos stage's run is the canary's child");
    const activity = collector.spans.find((s) => s.name === 'action slow-catalog')!;
    assert.equal(faultContext, `00-${activity.traceId}-${activity.spanId}-01`, "the stage's faults carry their activity's context");
  });
});
