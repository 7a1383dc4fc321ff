import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { EchoUpstream } from '../../../demo/echo-upstream.js';
import type { RunningProxy } from '../../../proxy/proxy-app.js';
import { send } from '../../helpers/http-client.js';
import { meshYaml, startTestProxy, startUpstreams, tempDir, type InstanceSpec } from '../../helpers/mesh-fixture.js';
import { waitFor } from '../../helpers/wait.js';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from './otlp-receiver.js';

const RUN_TRACE = 'aaaabbbbccccddddeeeeffff00001111';
const RUN_SPAN = '1234567890abcdef';
const specs: InstanceSpec[] = [
  { service: 'payments', id: 'pay-1', region: 'eu-west', zone: 'eu-west-1a' },
  { service: 'payments', id: 'pay-2', region: 'us-east', zone: 'us-east-1b' },
];

describe('the span of a faulted call', () => {
  const dir = tempDir();
  let upstreams: Map<string, EchoUpstream>;
  let collector: OtlpReceiver;
  let proxy: RunningProxy;
  // The proxy's clock (leases, ejections): moved on between the tests, so an ejection ends without waiting for it.
  let now = 1_800_000_000_000;

  const addFault = async (rule: Record<string, unknown>) => {
    const reply = await send(proxy.adminUrl, { method: 'POST', path: '/v1/faults', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ttl: '60s', target: 'payments', ...rule }) });
    assert.equal(reply.status, 201, reply.text());
  };
  /** Calls payments in a trace of its own and returns the proxy's span of the call. */
  const traced = async (traceId: string, expectStatus: number): Promise<ReceivedSpan> => {
    const reply = await send(proxy.proxyUrl, { headers: { host: 'payments', traceparent: `00-${traceId}-00000000000000aa-01` } });
    assert.equal(reply.status, expectStatus, reply.text());
    await waitFor(() => collector.trace(traceId).length === 1, `the span of trace ${traceId} arrived`);
    return collector.trace(traceId)[0]!;
  };

  before(async () => {
    collector = await startOtlpReceiver();
    upstreams = await startUpstreams(specs);
    const policy = 'policy:\n  retries: { attempts: 2, retryOn: [5xx], backoff: { base: 1ms, max: 2ms } }\n  outlierDetection: { consecutive5xx: 1 }';
    proxy = await startTestProxy(dir.file('mesh.yaml', meshYaml(specs, upstreams, { payments: policy })), { service: 'checkout', now: () => now, tracing: { otlpEndpoint: collector.url, flushMs: 20 } });
  });
  after(async () => {
    await proxy.close(1000);
    for (const u of upstreams.values()) await u.close();
    await collector.close();
    dir.remove();
  });

  it('names the rule and its kinds, links the run that injected it, and records each retry and ejection', async () => {
    await addFault({ id: 'pay-503', abort: { status: 503 }, traceparent: `00-${RUN_TRACE}-${RUN_SPAN}-01` });
    const span = await traced('11111111111111111111111111111111', 503);
    const a = span.attributes;
    assert.equal(a['faultmesh.fault.rule'], 'pay-503');
    assert.deepEqual(a['faultmesh.fault.kinds'], ['abort']);
    assert.equal(a['http.request.resend_count'], 2, 'two retries after the first try');
    assert.equal(a['http.response.status_code'], 503);
    assert.equal(a['error.type'], 'FAULT_ABORT', 'an answer the proxy made up');
    assert.equal(span.status.code, 2, 'error status');
    assert.match(String(span.status.message), /aborted by fault pay-503/);

    const retries = span.events.filter((e) => e.name === 'faultmesh.retry');
    assert.deepEqual(retries.map((e) => e.attributes['faultmesh.attempt']), [1, 2], 'the first and second tries were retried');
    for (const r of retries) {
      assert.equal(r.attributes['faultmesh.outcome'], 'failure');
      assert.equal(r.attributes['http.response.status_code'], 503);
      assert.equal(r.attributes['faultmesh.retry.reason'], '5xx');
    }
    assert.equal(span.events.filter((e) => e.name === 'faultmesh.fault').length, 3, 'every attempt was faulted');

    // The first faulted attempt ejects its instance (one of two: within maxEjectionPercent 50); the second cannot eject the other.
    const ejections = span.events.filter((e) => e.name === 'faultmesh.ejection');
    assert.equal(ejections.length, 1);
    assert.equal(ejections[0]!.attributes['faultmesh.ejection.reason'], 'consecutive-5xx');
    assert.equal(ejections[0]!.attributes['faultmesh.instance'], retries[0]!.attributes['faultmesh.instance'], 'the instance of the first try');

    assert.equal(span.links.length, 1, 'the rule is linked once, however many attempts it hit');
    assert.equal(span.links[0]!.traceId, RUN_TRACE);
    assert.equal(span.links[0]!.spanId, RUN_SPAN);
    assert.equal(span.links[0]!.attributes['faultmesh.fault.rule'], 'pay-503');
    await send(proxy.adminUrl, { method: 'DELETE', path: '/v1/faults' });
  });

  it('shows a call that a retry saved: the retried attempt as an event, the answer as the span', async () => {
    // The first test's ejection ends (30 s, on the proxy's clock); pay-1 alone is faulted here.
    now += 60_000;
    await addFault({ id: 'pay-1-503', match: { hosts: ['pay-1'] }, abort: { status: 503 } });
    const spans: ReceivedSpan[] = [];
    // Round-robin: of two calls, one starts on pay-1.
    for (const traceId of ['22222222222222222222222222222222', '33333333333333333333333333333333']) spans.push(await traced(traceId, 200));
    const saved = spans.find((s) => s.events.some((e) => e.name === 'faultmesh.retry'));
    assert.ok(saved, 'one of the calls was retried');
    const retry = saved.events.find((e) => e.name === 'faultmesh.retry')!;
    assert.equal(retry.attributes['faultmesh.instance'], 'pay-1');
    assert.equal(retry.attributes['faultmesh.outcome'], 'failure');
    assert.equal(saved.attributes['faultmesh.instance'], 'pay-2', 'the instance of the last attempt');
    assert.equal(saved.attributes['http.response.status_code'], 200);
    assert.equal(saved.attributes['faultmesh.fault.rule'], 'pay-1-503', 'the fault that shaped the call');
    assert.equal(saved.status.code, 0, 'the caller got a 200');
    assert.equal(saved.links.length, 0, 'a rule no run injected links nothing');
  });
});
