import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { AUTH, faulted, startFaultFixture, type FaultFixture } from '../../helpers/fault-fixture.js';
import { send } from '../../helpers/http-client.js';
import { sample } from '../../helpers/metrics.js';

const json = { ...AUTH, 'content-type': 'application/json' };

describe('fault leases and the admin API', () => {
  let f: FaultFixture;
  before(async () => (f = await startFaultFixture()));
  afterEach(async () => {
    await send(f.proxy.adminUrl, { method: 'POST', path: '/v1/resume', headers: AUTH });
    await f.clearFaults();
  });
  after(() => f.stop());

  it('a rule stops applying the moment its lease expires', async () => {
    await f.addFault({ id: 'short', target: 'payments', abort: { status: 503 }, ttl: '10s' });
    assert.equal((await f.call()).status, 503);
    f.advance(9_999);
    assert.equal((await f.call()).status, 503);
    f.advance(1);
    const after = await f.call();
    assert.equal(after.status, 200);
    assert.equal(faulted(after), false);
    assert.deepEqual((await send(f.proxy.adminUrl, { path: '/v1/faults' })).json().faults, []);
  });

  it('renew extends the lease; the rule shows what it has matched and hit', async () => {
    const id = await f.addFault({ target: 'payments', abort: { status: 503 }, ttl: '10s' });
    f.advance(8_000);
    const renewed = await send(f.proxy.adminUrl, { method: 'POST', path: `/v1/faults/${id}/renew`, headers: json, body: JSON.stringify({ ttl: '10s' }) });
    assert.equal(renewed.status, 200, renewed.text());
    f.advance(8_000);
    assert.equal((await f.call()).status, 503);
    const rule = (await send(f.proxy.adminUrl, { path: `/v1/faults/${id}` })).json<{ counts: Record<string, number>; expiresAt: string }>();
    assert.deepEqual(rule.counts, { matched: 1, hit: 1, active: 0 });
    const bad = await send(f.proxy.adminUrl, { method: 'POST', path: `/v1/faults/${id}/renew`, headers: json, body: JSON.stringify({ ttl: 'soon' }) });
    assert.equal(bad.status, 400);
    const missing = await send(f.proxy.adminUrl, { method: 'POST', path: '/v1/faults/nope/renew', headers: json, body: JSON.stringify({ ttl: '10s' }) });
    assert.equal(missing.status, 404);
  });

  it('halt removes every fault and refuses new ones until resume', async () => {
    await f.addFault({ target: 'payments', abort: { status: 503 } });
    const halted = await send(f.proxy.adminUrl, { method: 'POST', path: '/v1/halt', headers: AUTH });
    assert.deepEqual(halted.json(), { halted: true, removed: 1 });
    assert.equal((await f.call()).status, 200);
    const refused = await send(f.proxy.adminUrl, { method: 'POST', path: '/v1/faults', headers: json, body: JSON.stringify({ target: 'payments', abort: { status: 503 }, ttl: '10s' }) });
    assert.equal(refused.status, 409);
    assert.equal(refused.json().code, 'FAULTS_HALTED');
    const health = (await send(f.proxy.adminUrl, { path: '/healthz' })).json();
    assert.equal(health.halted, true);
    assert.equal(health.status, 'halted');
    await send(f.proxy.adminUrl, { method: 'POST', path: '/v1/resume', headers: AUTH });
    await f.addFault({ target: 'payments', abort: { status: 503 } });
    assert.equal((await f.call()).status, 503);
  });

  it('every state change needs the token; reading does not', async () => {
    const body = JSON.stringify({ target: 'payments', abort: { status: 503 }, ttl: '10s' });
    for (const [method, path] of [['POST', '/v1/faults'], ['DELETE', '/v1/faults'], ['POST', '/v1/halt'], ['POST', '/v1/resume']] as const) {
      const reply = await send(f.proxy.adminUrl, { method, path, headers: { 'content-type': 'application/json' }, body });
      assert.equal(reply.status, 401, `${method} ${path}`);
    }
    assert.equal((await send(f.proxy.adminUrl, { path: '/v1/faults' })).status, 200);
    assert.equal((await f.call()).status, 200, 'nothing was applied');
  });

  it('refuses a bad rule whole, with every field error, applying nothing', async () => {
    const reply = await send(f.proxy.adminUrl, { method: 'POST', path: '/v1/faults', headers: json, body: JSON.stringify({ target: 'payments', abort: { status: 999 }, percentage: -1, ttl: 'forever', colour: 'red' }) });
    assert.equal(reply.status, 400);
    const body = reply.json<{ code: string; errors: Array<{ field: string; message: string }> }>();
    assert.equal(body.code, 'INVALID_FAULT');
    assert.deepEqual(body.errors.map((e) => e.field).sort(), ['abort.status', 'colour', 'percentage', 'ttl']);
    assert.deepEqual((await send(f.proxy.adminUrl, { path: '/v1/faults' })).json().faults, []);
  });

  it('refuses a duplicate id with 409', async () => {
    await f.addFault({ id: 'dup', target: 'payments', abort: { status: 503 } });
    const again = await send(f.proxy.adminUrl, { method: 'POST', path: '/v1/faults', headers: json, body: JSON.stringify({ id: 'dup', target: 'payments', abort: { status: 500 }, ttl: '10s' }) });
    assert.equal(again.status, 409);
    assert.equal(again.json().code, 'FAULT_EXISTS');
  });

  it('caps a lease at --max-fault-ttl and says so', async () => {
    const reply = await send(f.proxy.adminUrl, { method: 'POST', path: '/v1/faults', headers: json, body: JSON.stringify({ target: 'payments', abort: { status: 503 }, ttl: '5h' }) });
    assert.equal(reply.status, 201);
    const { expiresAt, warning } = reply.json<{ expiresAt: string; warning: string }>();
    assert.equal(Date.parse(expiresAt), f.now() + 3_600_000);
    assert.match(warning, /capped to 1h/);
  });

  it('counts injections in metrics by kind and destination, and exports the number of active faults', async () => {
    const before = sample((await send(f.proxy.adminUrl, { path: '/metrics' })).text(), 'faultmesh_faults_injected_total', { kind: 'delay', destination: 'payments' }) ?? 0;
    await f.addFault({ id: 'metered', target: 'payments', delay: { fixed: '0ms' }, abort: { status: 503 } });
    await f.call();
    await f.call();
    const metrics = (await send(f.proxy.adminUrl, { path: '/metrics' })).text();
    assert.equal(sample(metrics, 'faultmesh_faults_injected_total', { kind: 'delay', destination: 'payments' }), before + 2);
    assert.ok(sample(metrics, 'faultmesh_faults_injected_total', { kind: 'abort', destination: 'payments' })! >= 2);
    assert.match(metrics, /faultmesh_active_faults 1/);
  });

  it('keeps rule ids out of metric labels: a hundred runs with unique ids add no series, and each rule counts its own hits', async () => {
    const seriesOf = async () => (await send(f.proxy.adminUrl, { path: '/metrics' })).text().split('\n').filter((l) => l.startsWith('faultmesh_faults_injected_total{'));
    await f.addFault({ id: 'warm-up', target: 'payments', abort: { status: 503 } });
    await f.call();
    await f.clearFaults();
    const seriesBefore = await seriesOf();
    // Like the runner: every run names its rule `BASE-RUNID-N`.
    for (let run = 0; run < 100; run++) {
      await f.addFault({ id: `pay-503-run${run}-1`, target: 'payments', abort: { status: 503 } });
      assert.equal((await f.call()).status, 503);
      if (run === 99) {
        const rule = (await send(f.proxy.adminUrl, { path: '/v1/faults/pay-503-run99-1' })).json<{ counts: { hit: number } }>();
        assert.equal(rule.counts.hit, 1, 'per-rule counts stay in GET /v1/faults');
      }
      await f.clearFaults();
    }
    const seriesAfter = await seriesOf();
    assert.equal(seriesAfter.length, seriesBefore.length, seriesAfter.join('\n'));
    assert.ok(seriesAfter.every((l) => !/rule=|run\d/.test(l)), seriesAfter.join('\n'));
  });

  it('ignores fault headers unless the proxy allows them', async () => {
    const reply = await f.call('/', { 'x-faultmesh-abort': '503' });
    assert.equal(reply.status, 200);
  });
});

describe('header-controlled faults (--allow-header-faults)', () => {
  let f: FaultFixture;
  before(async () => (f = await startFaultFixture({ allowHeaderFaults: true })));
  after(() => f.stop());

  it('aborts and delays as the request asks, and strips the headers', async () => {
    const aborted = await f.call('/', { 'x-faultmesh-abort': '503' });
    assert.equal(aborted.status, 503);
    assert.equal(aborted.headers['x-faultmesh-fault'], 'header');
    const started = performance.now();
    const delayed = await f.call('/', { 'x-faultmesh-delay': '100ms' });
    assert.ok(performance.now() - started >= 90);
    assert.equal(delayed.status, 200);
    assert.equal(delayed.json<{ headers: Record<string, string> }>().headers['x-faultmesh-delay'], undefined);
  });

  it('refuses a malformed fault header with 400', async () => {
    const reply = await f.call('/', { 'x-faultmesh-delay': 'soon' });
    assert.equal(reply.status, 400);
    assert.equal(reply.headers['x-faultmesh-error'], 'BAD_FAULT_HEADER');
  });
});
