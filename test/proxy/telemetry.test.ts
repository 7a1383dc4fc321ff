import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { EchoUpstream } from '../../demo/echo-upstream.js';
import type { RunningProxy } from '../../proxy/proxy-app.js';
import { send } from '../helpers/http-client.js';
import { sample } from '../helpers/metrics.js';
import { meshYaml, startTestProxy, startUpstreams, tempDir } from '../helpers/mesh-fixture.js';

describe('telemetry', () => {
  const dir = tempDir();
  const logFile = join(dir.path, 'access.log');
  let upstreams: Map<string, EchoUpstream>;
  let proxy: RunningProxy;

  before(async () => {
    const specs = [{ service: 'payments', id: 'pay-1' }];
    upstreams = await startUpstreams(specs);
    proxy = await startTestProxy(dir.file('mesh.yaml', meshYaml(specs, upstreams)), { service: 'checkout', accessLog: { kind: 'file', path: logFile } });
    for (let i = 0; i < 3; i++) await send(proxy.proxyUrl, { path: '/api/pay?card=4111', headers: { host: 'payments' } });
    await send(proxy.proxyUrl, { path: '/?status=503', headers: { host: 'payments', 'x-faultmesh-source': 'frontend' } });
    await send(proxy.proxyUrl, { headers: { host: 'nosuch' } });
  });
  after(async () => {
    for (const u of upstreams.values()) await u.close();
    dir.remove();
  });

  it('counts requests by source, destination, instance and status', async () => {
    const metrics = (await send(proxy.adminUrl, { path: '/metrics' })).text();
    assert.equal(sample(metrics, 'faultmesh_requests_total', { source: 'checkout', destination: 'payments', instance: 'pay-1', code: '200' }), 3);
    assert.equal(sample(metrics, 'faultmesh_requests_total', { source: 'frontend', destination: 'payments', code: '503' }), 1);
    assert.equal(sample(metrics, 'faultmesh_requests_total', { destination: 'unknown', instance: 'none', code: '404' }), 1);
    assert.equal(sample(metrics, 'faultmesh_request_duration_seconds_count', { source: 'checkout', destination: 'payments', code: '200' }), 3);
    assert.equal(sample(metrics, 'faultmesh_proxy_errors_total', { destination: 'unknown', error: 'UNKNOWN_SERVICE' }), 1);
    assert.match(metrics, /^faultmesh_process_resident_memory_bytes /m, 'default process metrics are exported');
    // Only label sets are checked: a metric's value (a heap size, say) may hold the digits 4111 by chance.
    assert.doesNotMatch(metrics, /\{[^}]*(4111|\/api\/pay)[^}]*\}/, 'paths and their values never become labels');
  });

  it('writes one JSON access-log line per request', async () => {
    await proxy.close(1000); // flushes the log
    const lines = readFileSync(logFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.equal(lines.length, 5);
    const first = lines[0]!;
    assert.equal(first.method, 'GET');
    assert.equal(first.path, '/api/pay');
    assert.equal(first.destination, 'payments');
    assert.equal(first.instance, 'pay-1');
    assert.equal(first.status, 200);
    assert.equal(first.source, 'checkout');
    assert.match(String(first.traceId), /^[0-9a-f]{32}$/);
    assert.equal(typeof first.durationMs, 'number');
    assert.equal(first.outcome, 'success', 'the attempt as classified once');
    assert.equal(first.retries, 0);
    assert.ok(typeof first.time === 'string' && !Number.isNaN(Date.parse(first.time)));
    const unknown = lines[4]!;
    assert.equal(unknown.status, 404);
    assert.deepEqual(unknown.flags, ['UNKNOWN_SERVICE']);
    assert.equal(unknown.outcome, null, 'no instance was tried');
  });
});
