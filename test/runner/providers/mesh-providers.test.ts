import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { providerSchema, type Provider, type ProviderOf } from '../../../runner/experiment/provider-schema.js';
import { runFault } from '../../../runner/providers/fault.js';
import { runLoad } from '../../../runner/providers/load.js';
import { runMetric } from '../../../runner/providers/metric.js';
import { runPrometheus } from '../../../runner/providers/prometheus.js';
import { startFaultFixture, type FaultFixture } from '../../helpers/fault-fixture.js';
import { send } from '../../helpers/http-client.js';
import { total } from '../../helpers/metrics.js';
import { providerContext } from '../../helpers/runner-fixture.js';
import { waitFor } from '../../helpers/wait.js';

const parse = <T extends Provider['type']>(raw: Record<string, unknown>) => providerSchema.parse(raw) as ProviderOf<T>;

describe('faultmesh providers against a real proxy', () => {
  let mesh: FaultFixture;
  before(async () => (mesh = await startFaultFixture({ timeoutMs: 2000 })));
  after(() => mesh.stop());
  const faultsOnProxy = async () => (await send(mesh.proxy.adminUrl, { path: '/v1/faults' })).json<{ faults: Array<{ id: string; expiresAt: string }> }>().faults;

  it('fault: holds the rule on the proxy for its duration, then removes it and reports what it did', async () => {
    const { ctx } = providerContext('pay-503');
    const holding = runFault(parse<'fault'>({ type: 'fault', admin: [mesh.proxy.adminUrl], rule: { target: 'payments', abort: { status: 503 } }, duration: '2s' }), ctx);
    await waitFor(async () => (await faultsOnProxy()).length > 0, 'the fault is on the proxy');
    const live = await faultsOnProxy();
    assert.equal(live.length, 1);
    assert.match(live[0]!.id, /^pay-503-test-\d+$/);
    assert.equal((await mesh.call('/')).status, 503);
    const out = await holding;
    assert.deepEqual(await faultsOnProxy(), []);
    assert.equal(out.state, 'removed');
    assert.ok(out.counts!.hit >= 1, JSON.stringify(out));
    assert.ok(out.heldMs! >= 1950, `held ${out.heldMs} ms of its 2 s`);
  });

  it('fault: an interrupt removes the rule at once', async () => {
    const { ctx, controller } = providerContext('pay-reset');
    const holding = runFault(parse<'fault'>({ type: 'fault', admin: mesh.proxy.adminUrl, rule: { target: 'payments', reset: true }, duration: '30s' }), ctx);
    await waitFor(async () => (await faultsOnProxy()).length > 0, 'the fault is on the proxy');
    assert.equal((await faultsOnProxy()).length, 1);
    controller.abort();
    await assert.rejects(holding, /the fault held .* of 30s when the run was stopped, then was removed/);
    assert.deepEqual(await faultsOnProxy(), []);
  });

  it('fault: a proxy that refuses the rule leaves it on none of them', async () => {
    const { ctx } = providerContext('pay-503');
    await assert.rejects(runFault(parse<'fault'>({ type: 'fault', admin: [mesh.proxy.adminUrl, 'http://127.0.0.1:1'], rule: { target: 'payments', abort: { status: 503 } }, duration: '1s' }), ctx), /fault not injected/);
    assert.deepEqual(await faultsOnProxy(), []);
  });

  it('load: sends at the rate asked, spread over paths and customers', async () => {
    await mesh.addFault({ id: 'acme-only', target: 'payments', match: { customers: ['acme'] }, abort: { status: 503 } });
    try {
      const out = await runLoad(parse<'load'>({ type: 'load', proxy: mesh.proxy.proxyUrl, target: 'payments', rate: 40, duration: '1s', paths: ['/a', '/b'], customers: ['acme', 'globex'] }), providerContext().ctx);
      assert.ok(out.requests >= 36 && out.requests <= 41, `requests ${out.requests}`);
      assert.equal(out.errors, 0);
      // Every other request is acme's, and acme's all fail.
      assert.ok(Math.abs((out.statuses['503'] ?? 0) - (out.statuses['200'] ?? 0)) <= 1, JSON.stringify(out.statuses));
      assert.ok(out.successRatio > 0.4 && out.successRatio < 0.6);
    } finally {
      await mesh.clearFaults();
    }
  });

  it('load: its latency percentiles show a delay injected into one request in four', async () => {
    await mesh.addFault({ id: 'slow-quarter', target: 'payments', match: { paths: ['/slow'] }, delay: { fixed: '400ms' } });
    try {
      const out = await runLoad(parse<'load'>({ type: 'load', proxy: mesh.proxy.proxyUrl, target: 'payments', rate: 40, duration: '1s', paths: ['/a', '/a', '/a', '/slow'] }), providerContext().ctx);
      assert.equal(out.errors, 0, JSON.stringify(out));
      // The delayed quarter is in the tail and the fast three quarters are the median: a percentile taken
      // from the wrong end, from unsorted samples or from an average fails one of these.
      assert.ok(out.latencyMs.p99 >= 400 && out.latencyMs.max >= 400, `p99 ${out.latencyMs.p99} ms, max ${out.latencyMs.max} ms: the 400 ms delay is in the tail`);
      assert.ok(out.latencyMs.p50 < 400, `p50 ${out.latencyMs.p50} ms: most requests were not delayed`);
    } finally {
      await mesh.clearFaults();
    }
  });

  it('metric: measures success, errors, rate and latency from /metrics over the window', async () => {
    await mesh.addFault({ id: 'one-in-four', target: 'payments', match: { paths: ['/bad'] }, abort: { status: 500 } });
    try {
      const measure = (m: string) =>
        runMetric(parse<'metric'>({ type: 'metric', admin: mesh.proxy.adminUrl, destination: 'payments', measure: m, window: '700ms' }), providerContext().ctx);
      const sent = async () => total((await send(mesh.proxy.adminUrl, { path: '/metrics' })).text(), 'faultmesh_requests_total', { destination: 'payments' });
      const before = await sent();
      const traffic = runLoad(parse<'load'>({ type: 'load', proxy: mesh.proxy.proxyUrl, target: 'payments', rate: 80, duration: '1.2s', paths: ['/ok', '/ok', '/ok', '/bad'] }), providerContext().ctx);
      await waitFor(async () => (await sent()) > before, 'the traffic reaches the proxy');
      const [success, errors, rate, p99] = await Promise.all([measure('success-ratio'), measure('error-ratio'), measure('rate'), measure('latency-p99')]);
      await traffic;
      assert.ok(success > 0.6 && success < 0.9, `success ${success}`);
      // Four probes, four windows of their own: their traffic differs a little, so the two ratios are complements only roughly.
      assert.ok(Math.abs(success + errors - 1) < 0.1, `success ${success} + errors ${errors}`);
      assert.ok(rate > 50 && rate < 110, `rate ${rate}`);
      assert.ok(p99 > 0 && p99 < 1000, `p99 ${p99} ms`);
    } finally {
      await mesh.clearFaults();
    }
  });

  it('metric: fails when nothing was sent to the destination in the window', async () => {
    await assert.rejects(runMetric(parse<'metric'>({ type: 'metric', admin: mesh.proxy.adminUrl, destination: 'payments', measure: 'success-ratio', window: '200ms' }), providerContext().ctx), /no requests to payments/);
  });
});

describe('prometheus provider', () => {
  let server: Server;
  let url: string;
  const replies: Record<string, unknown> = {
    'sum(up)': { status: 'success', data: { resultType: 'vector', result: [{ metric: {}, value: [1, '3'] }] } },
    up: { status: 'success', data: { resultType: 'vector', result: [{ value: [1, '1'] }, { value: [1, '1'] }] } },
    'scalar(1)': { status: 'success', data: { resultType: 'scalar', result: [1, '0.25'] } },
    'bad(': { status: 'error', error: 'parse error' },
  };
  before(async () => {
    server = createServer((req, res) => {
      const query = new URL(req.url!, 'http://x').searchParams.get('query')!;
      res.writeHead(replies[query] && (replies[query] as { status: string }).status === 'success' ? 200 : 400, { 'content-type': 'application/json' });
      res.end(JSON.stringify(replies[query] ?? { status: 'error', error: 'unknown' }));
    }).listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => server.close());
  const query = (q: string) => runPrometheus(parse<'prometheus'>({ type: 'prometheus', url, query: q }), providerContext().ctx);

  it('returns the number of a one-sample vector or a scalar', async () => {
    assert.equal(await query('sum(up)'), 3);
    assert.equal(await query('scalar(1)'), 0.25);
  });

  it('fails on several series, or on a query error', async () => {
    await assert.rejects(query('up'), /returned 2 series/);
    await assert.rejects(query('bad('), /parse error/);
  });
});
