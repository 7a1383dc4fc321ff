import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { waitFor } from '../../helpers/wait.js';
import { meshText, startCanaryMesh, type CanaryMesh } from '../canary/canary-fixture.js';
import { startOtlpReceiver, type OtlpReceiver } from '../../proxy/tracing/otlp-receiver.js';

describe('faultmesh run and canary run with --otlp-endpoint', () => {
  let mesh: CanaryMesh;
  let collector: OtlpReceiver;

  before(async () => {
    collector = await startOtlpReceiver();
    mesh = await startCanaryMesh({ errorEvery: 2 });
    // The proxy's spans too, pushed with the mesh.
    const applied = await mesh.fleet.exec(['mesh', 'apply', mesh.dir.file('traced.yaml', `${meshText(mesh.v1, mesh.v2)}tracing: { otlpEndpoint: "${collector.url}", sample: 1 }\n`), '--control', mesh.control.url]);
    assert.equal(applied.code, 0, applied.stderr);
  });
  after(async () => {
    await mesh.stop();
    await collector.close();
  });

  it('send the run under the TRACEPARENT given, with the span of the activity that injected its fault', async () => {
    const file = mesh.dir.file('shop-abort.yaml', `title: shop under an abort
method:
  - { type: action, name: shop-503, provider: { type: fault, admin: "${mesh.control.url}", rule: { target: shop, abort: { status: 503 } }, duration: 1500ms } }
`);
    const parentTrace = 'c1'.repeat(16);
    const run = await mesh.fleet.exec(['run', file, '--journal', join(mesh.dir.path, 'run.json'), '--otlp-endpoint', collector.url], { ...mesh.env, TRACEPARENT: `00-${parentTrace}-${'d2'.repeat(8)}-01` });
    assert.equal(run.code, 0, run.stderr);
    await waitFor(() => collector.spans.some((s) => s.name === 'experiment shop under an abort'), "the run's span arrived");
    const activity = collector.spans.find((s) => s.name === 'action shop-503')!;
    assert.equal(activity.traceId, parentTrace, "in the CI job's trace");
    // Links from the calls a fault hit: the canary below, and run-trace.test.ts in-process.
    assert.match(String(activity.attributes['faultmesh.fault.rule']), /^shop-503-/);
  });

  it('keep the run\'s result when the collector refuses every connection: one line on stderr, no stack trace', async () => {
    // A port that was just listened on and closed: nothing answers there.
    const closed = await new Promise<number>((done) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => done(port));
      });
    });
    const file = mesh.dir.file('shop-brief.yaml', `title: shop under a short abort
method:
  - { type: action, name: shop-503-brief, provider: { type: fault, admin: "${mesh.control.url}", rule: { target: shop, abort: { status: 503 } }, duration: 300ms } }
`);
    const run = await mesh.fleet.exec(['run', file, '--journal', join(mesh.dir.path, 'refused.json'), '--otlp-endpoint', `http://127.0.0.1:${closed}`], mesh.env);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stderr.split('\n').filter((l) => l.includes('were not sent to')).length, 1, run.stderr);
    assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace');
  });

  it('check the endpoint on a dry run too', async () => {
    const file = mesh.dir.file('dry.yaml', `title: dry
method:
  - { type: action, name: shop-503-dry, provider: { type: fault, admin: "${mesh.control.url}", rule: { target: shop, abort: { status: 503 } }, duration: 1s } }
`);
    const run = await mesh.fleet.exec(['run', file, '--dry-run', '--otlp-endpoint', 'collector:4318'], mesh.env);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /--otlp-endpoint: "collector:4318" is not http:\/\/ or https:\/\//);
  });

  it('send the canary, its steps, and its chaos stage with the proxy spans its fault hit linked to it', async () => {
    mesh.dir.file('slow-canary.yaml', `title: the canary under a delay
method:
  - { type: action, name: canary-delay, provider: { type: fault, rule: { target: shop, delay: { fixed: 5ms } }, duration: 1s } }
`);
    const file = mesh.canaryFile('traced', { steps: '[20]', extra: 'chaos:\n  - at: 20\n    experiment: slow-canary.yaml\nanalysis:\n  errorRatio: { maxIncrease: 0.02 }\n' });
    const canary = await mesh.fleet.exec(['canary', 'run', file, '--journal', join(mesh.dir.path, 'traced.json'), '--sample', '300ms', '--lease', '3s', '--otlp-endpoint', collector.url], mesh.env);
    assert.equal(canary.code, 1, `v2 fails every other request, so it is rolled back: ${canary.stderr}`);
    await waitFor(() => collector.spans.some((s) => s.name === 'canary traced'), "the canary's span arrived");
    const root = collector.spans.find((s) => s.name === 'canary traced')!;
    assert.equal(root.status.code, 2);
    assert.ok(collector.spans.some((s) => s.name === 'step 1 at 20%' && s.parentSpanId === root.spanId), 'its step');
    const stage = collector.spans.find((s) => s.name === 'experiment the canary under a delay')!;
    assert.equal(stage.parentSpanId, root.spanId, 'the chaos stage under the canary');
    const activity = collector.spans.find((s) => s.name === 'action canary-delay' && s.traceId === root.traceId)!;
    await waitFor(() => collector.spans.some((s) => s.links.some((l) => l.spanId === activity.spanId)), "a proxy span of a call the stage's fault hit, linked to it");
    const hit = collector.spans.find((s) => s.links.some((l) => l.spanId === activity.spanId))!;
    assert.equal(hit.resource['service.name'], 'caller');
    assert.deepEqual(hit.attributes['faultmesh.fault.kinds'], ['delay']);
    assert.equal(hit.attributes['faultmesh.subset'], 'version=v2', 'aimed at the canary');
  });
});
