import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadExperiment } from '../../../runner/experiment/load-experiment.js';
import { runExperiment } from '../../../runner/run-experiment.js';
import { runTraceOf } from '../../../runner/tracing/run-trace.js';
import { startFaultFixture, TOKEN, type FaultFixture } from '../../helpers/fault-fixture.js';
import { send } from '../../helpers/http-client.js';
import { tempDir } from '../../helpers/mesh-fixture.js';
import { waitFor } from '../../helpers/wait.js';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '../../proxy/tracing/otlp-receiver.js';

describe('an experiment run as a trace', () => {
  const dir = tempDir();
  let collector: OtlpReceiver;
  let mesh: FaultFixture;

  before(async () => {
    collector = await startOtlpReceiver();
    mesh = await startFaultFixture({ timeoutMs: 2000, service: 'checkout', tracing: { otlpEndpoint: collector.url, flushMs: 20 } });
  });
  after(async () => {
    await mesh.stop();
    await collector.close();
    dir.remove();
  });

  const experimentFile = () =>
    dir.file(
      `exp-${Math.random().toString(36).slice(2)}.yaml`,
      `title: payments stay up
configuration:
  admin: ${mesh.proxy.adminUrl}
  proxy: ${mesh.proxy.proxyUrl}
steady-state-hypothesis:
  title: payments answer
  probes:
    - { type: probe, name: payments-ok, tolerance: 200, provider: { type: http, url: "\${proxy}/", headers: { host: payments }, timeout: 2 } }
method:
  - { type: action, name: pay-503, provider: { type: fault, admin: "\${admin}", rule: { target: payments, abort: { status: 503 } }, duration: 1s } }
`,
    );

  /** Runs the experiment traced; while its fault is held, one sampled call goes through the proxy. */
  async function tracedRun(parent?: string) {
    const trace = await runTraceOf({ url: `${collector.url}/v1/traces`, flushMs: 20, parent }, { title: 'payments stay up', file: 'exp.yaml' });
    let faulted: Promise<number> | undefined;
    const callTrace = Math.random().toString(16).slice(2).padEnd(32, '0').slice(0, 32);
    const journal = await runExperiment(
      loadExperiment(experimentFile()),
      trace.options({
        leaseMs: 2000,
        token: TOKEN,
        // A caller of payments while the fault is held (it is removed only after its 1 s).
        events: { faultInjected: () => void (faulted = send(mesh.proxy.proxyUrl, { headers: { host: 'payments', traceparent: `00-${callTrace}-00000000000000aa-01` } }).then((r) => r.status)) },
      }),
    );
    await trace.close();
    assert.equal(journal.status, 'completed', JSON.stringify({ stoppedBy: journal.stoppedBy, errors: journal.errors }));
    assert.equal(await faulted, 503, 'the call during the fault was faulted');
    await waitFor(() => collector.trace(callTrace).length === 1, "the proxy's span of the faulted call arrived");
    const run = collector.spans.find((s) => s.attributes['faultmesh.run.id'] === journal.runId);
    assert.ok(run, "the run's span arrived");
    return { journal, run, runSpans: collector.trace(run.traceId), call: collector.trace(callTrace)[0]! };
  }

  it('has a span for the run, its phases, and each probe and activity under its phase', async () => {
    const { run, runSpans, journal } = await tracedRun();
    assert.equal(run.parentSpanId, undefined, 'a trace of its own');
    assert.equal(run.name, 'experiment payments stay up');
    assert.equal(run.resource['service.name'], 'faultmesh-runner');
    assert.equal(run.status.code, 0, 'the hypothesis held');
    assert.equal(run.attributes['faultmesh.run.status'], 'completed');
    const child = (name: string, parent: ReceivedSpan) => runSpans.find((s) => s.name === name && s.parentSpanId === parent.spanId);
    const before = child('hypothesis-before', run);
    const method = child('method', run);
    assert.ok(before && method && child('hypothesis-after', run) && child('revert', run), `phases: ${runSpans.map((s) => s.name).join(', ')}`);
    const probe = child('probe payments-ok', before);
    assert.ok(probe, 'the probe under its phase');
    assert.equal(probe.attributes['faultmesh.activity.tolerance_met'], true);
    const fault = child('action pay-503', method);
    assert.ok(fault, 'the fault activity under the method');
    assert.equal(fault.attributes['faultmesh.fault.rule'], journal.faults[0]!.id);
    const ended = fault.events.find((e) => e.name === 'faultmesh.fault.ended');
    assert.ok(ended && Number(ended.attributes['faultmesh.fault.hit']) >= 1, 'what the fault hit');
  });

  it("links the proxy's span of each call the fault hit to the activity that injected it", async () => {
    const { call, runSpans, journal } = await tracedRun();
    const fault = runSpans.find((s) => s.name === 'action pay-503')!;
    assert.equal(call.attributes['faultmesh.fault.rule'], journal.faults[0]!.id);
    assert.deepEqual(call.links.map((l) => [l.traceId, l.spanId]), [[fault.traceId, fault.spanId]]);
    assert.equal(call.resource['service.name'], 'checkout', 'a span of the proxy, in the caller\'s own trace');
  });

  it('hangs the run under the TRACEPARENT it is given', async () => {
    const parentTrace = 'cafe'.repeat(8);
    const { run } = await tracedRun(`00-${parentTrace}-${'be'.repeat(8)}-01`);
    assert.equal(run.traceId, parentTrace);
    assert.equal(run.parentSpanId, 'be'.repeat(8));
  });
});
