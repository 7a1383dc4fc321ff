import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { EchoUpstream } from '../../demo/echo-upstream.js';
import type { RunningProxy } from '../../proxy/proxy-app.js';
import type { EjectionMark, MetricPoint, ProxyName } from '../../runner/journal.js';
import { activityOf, ejectionsIn } from '../../runner/mesh-activity.js';
import type { Places } from '../../runner/mesh-names.js';
import { MeshSampler } from '../../runner/sampler.js';
import { send } from '../helpers/http-client.js';
import { meshYaml, startTestProxy, startUpstreams, tempDir, type InstanceSpec } from '../helpers/mesh-fixture.js';

const TOKEN = 'sampler-token';
const AUTH = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };

describe('mesh activity from counter increases', () => {
  const s = (name: string, labels: Record<string, string>, value: number) => ({ name, labels, value });

  it('sums calls, errors, retries by reason, faulted attempts by kind and calls per instance', () => {
    const a = activityOf([
      s('faultmesh_requests_total', { destination: 'p', instance: 'p-1', code: '200' }, 5),
      s('faultmesh_requests_total', { destination: 'p', instance: 'p-2', code: '503' }, 2),
      s('faultmesh_requests_total', { destination: 'p', instance: 'none', code: 'none' }, 1),
      s('faultmesh_retries_total', { destination: 'p', reason: '5xx' }, 3),
      s('faultmesh_retries_total', { destination: 'p', reason: 'reset' }, 0),
      s('faultmesh_faults_injected_total', { destination: 'p', kind: 'abort' }, 4),
    ]);
    assert.deepEqual(a, { requests: 8, errors: 3, retries: { '5xx': 3 }, faulted: { abort: 4 }, instances: { 'p-1': 5, 'p-2': 2, none: 1 } });
  });

  it('names who ejected: the proxy behind a control plane, else the admin scraped', () => {
    const seen = ejectionsIn([
      { ...s('faultmesh_outlier_ejections_total', { proxy: 'checkout-sidecar', destination: 'p', instance: 'p-1', reason: 'consecutive-5xx' }, 1), admin: 'http://c' },
      { ...s('faultmesh_outlier_ejections_total', { destination: 'p', instance: 'p-2', reason: 'slow' }, 2), admin: 'http://a' },
      { ...s('faultmesh_outlier_ejections_total', { destination: 'p', instance: 'p-3', reason: 'slow' }, 0), admin: 'http://a' },
    ]);
    assert.deepEqual(seen, [
      { destination: 'p', instance: 'p-1', reason: 'consecutive-5xx', by: 'checkout-sidecar', count: 1 },
      { destination: 'p', instance: 'p-2', reason: 'slow', by: 'http://a', count: 2 },
    ]);
  });
});

describe('the run sampler, against a real proxy that retries and ejects', () => {
  const specs: InstanceSpec[] = [
    { service: 'payments', id: 'pay-1', region: 'eu-west', zone: 'eu-west-1a' },
    { service: 'payments', id: 'pay-2', region: 'us-east', zone: 'us-east-1b' },
  ];
  const policy = 'policy:\n  retries: { attempts: 2, retryOn: [5xx], backoff: { base: 1ms, max: 2ms }, budget: { percent: 100, minPerSecond: 1000 } }\n  outlierDetection: { consecutive5xx: 2, baseEjectionTime: 10m }';
  const dir = tempDir();
  let upstreams: Map<string, EchoUpstream>;
  let proxy: RunningProxy;
  before(async () => {
    upstreams = await startUpstreams(specs);
    proxy = await startTestProxy(dir.file('mesh.yaml', meshYaml(specs, upstreams, { payments: policy })), { adminToken: TOKEN });
  });
  after(async () => {
    await proxy.close(500);
    for (const u of upstreams.values()) await u.close();
    dir.remove();
  });

  /** A sampler of payments on the proxy, recording what it reports; `ready` resolves once its baseline is in. */
  function sampler(everyMs: number) {
    const points: MetricPoint[] = [];
    const ejections: EjectionMark[] = [];
    const errors: string[] = [];
    let named: { names: ProxyName[]; places: Places } | undefined;
    let ready!: () => void;
    const baseline = new Promise<void>((resolve) => (ready = resolve));
    const s = new MeshSampler({
      admins: [proxy.adminUrl],
      destinations: new Set(['payments']),
      everyMs,
      now: Date.now,
      onSample: (_d, p) => points.push(p),
      onEjection: (e) => ejections.push(e),
      onNames: (n) => (named = n),
      onError: (m) => errors.push(m),
      onBaseline: ready,
    });
    s.start();
    return { s, points, ejections, errors, baseline, named: () => named };
  }
  const total = (points: readonly MetricPoint[], pick: (p: MetricPoint) => number) => points.reduce((n, p) => n + pick(p), 0);

  it('records the retries by reason, the attempts the fault hit, the calls each instance answered and the ejection', async () => {
    const run = sampler(100);
    await run.baseline;
    const added = await send(proxy.adminUrl, { method: 'POST', path: '/v1/faults', headers: AUTH, body: JSON.stringify({ target: 'payments', match: { hosts: ['pay-1'] }, abort: { status: 503 }, ttl: '60s' }) });
    assert.equal(added.status, 201, added.text());
    let failedCalls = 0;
    for (let i = 0; i < 30; i++) if ((await send(proxy.proxyUrl, { path: '/', headers: { host: 'payments' } })).status >= 500) failedCalls++;
    await run.s.stop();
    const activity = (p: MetricPoint) => p.activity!;
    assert.deepEqual(run.errors, []);
    assert.equal(total(run.points, (p) => activity(p).requests), 30, 'every call, up to the last one, is in some interval');
    assert.equal(total(run.points, (p) => activity(p).errors), failedCalls, 'the errors callers saw are the ones they got');
    const hit = total(run.points, (p) => activity(p).faulted.abort ?? 0);
    assert.ok(hit >= 2, `the fault hit ${hit} attempts`);
    assert.equal(total(run.points, (p) => activity(p).retries['5xx'] ?? 0), hit, 'each faulted attempt was retried (onto pay-2)');
    assert.equal(total(run.points, (p) => activity(p).instances['pay-2'] ?? 0), 30 - failedCalls);
    assert.deepEqual(run.ejections.map((e) => [e.destination, e.instance, e.reason, e.by]), [['payments', 'pay-1', 'consecutive-5xx', proxy.adminUrl]]);
    assert.ok(run.points.every((p) => p.from && p.from < p.t), 'each point says the interval it covers');
    assert.deepEqual(run.named()?.names, [{ url: proxy.adminUrl, role: 'proxy' }]);
    assert.deepEqual(run.named()?.places.payments, { 'pay-1': { region: 'eu-west', zone: 'eu-west-1a' }, 'pay-2': { region: 'us-east', zone: 'us-east-1b' } });
    await send(proxy.adminUrl, { method: 'DELETE', path: '/v1/faults', headers: AUTH });
  });

  it('samples the interval a stop cuts short: calls after the last full sample are not lost', async () => {
    // One interval far longer than the test: without the last, partial one, nothing would be recorded.
    const run = sampler(600_000);
    await run.baseline;
    for (let i = 0; i < 5; i++) assert.equal((await send(proxy.proxyUrl, { path: '/', headers: { host: 'payments' } })).status, 200);
    await run.s.stop();
    assert.equal(run.points.length, 1);
    assert.equal(run.points[0]!.activity?.requests, 5);
    assert.ok(run.points[0]!.p99Ms !== null && run.points[0]!.rate > 0);
  });
});
