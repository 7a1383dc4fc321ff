import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { EchoUpstream } from '../../demo/echo-upstream.js';
import { AdminExposedError, type RunningProxy } from '../../proxy/proxy-app.js';
import { send } from '../helpers/http-client.js';
import { meshYaml, startTestProxy, startUpstreams, tempDir } from '../helpers/mesh-fixture.js';

describe('admin API', () => {
  const dir = tempDir();
  const specs = [
    { service: 'payments', id: 'pay-1', region: 'eu-west', zone: 'eu-west-1a', labels: { version: 'v1' } },
    { service: 'inventory', id: 'inv-1' },
  ];
  let upstreams: Map<string, EchoUpstream>;
  let proxy: RunningProxy;
  let meshFile: string;
  const token = 's3cret-token';
  const auth = { authorization: `Bearer ${token}` };

  before(async () => {
    upstreams = await startUpstreams(specs);
    meshFile = dir.file('mesh.yaml', meshYaml(specs.slice(0, 1), upstreams, { payments: 'routes:\n  - match: { path: /admin/* }\n    deny: 403' }));
    proxy = await startTestProxy(meshFile, { service: 'checkout', region: 'eu-west', zone: 'eu-west-1a', adminToken: token });
  });
  after(async () => {
    await proxy.close(1000);
    for (const u of upstreams.values()) await u.close();
    dir.remove();
  });

  it('reports health with the proxy identity', async () => {
    const health = (await send(proxy.adminUrl, { path: '/healthz' })).json();
    assert.equal(health.status, 'ok');
    assert.equal(health.service, 'checkout');
    assert.equal(health.region, 'eu-west');
    assert.equal(health.services, 1);
  });

  it('lists services with their instances and live state', async () => {
    await send(proxy.proxyUrl, { headers: { host: 'payments' } });
    const { services } = (await send(proxy.adminUrl, { path: '/v1/services' })).json<{ services: Array<{ name: string; instances: Array<Record<string, unknown>> }> }>();
    assert.equal(services.length, 1);
    const inst = services[0]!.instances[0]!;
    assert.equal(inst.id, 'pay-1');
    assert.equal(inst.region, 'eu-west');
    assert.deepEqual(inst.labels, { version: 'v1' });
    assert.equal(inst.health, 'healthy');
    assert.equal(inst.ejectedUntil, null);
    assert.equal(inst.inFlight, 0);
    assert.equal(inst.requests, 1);
    assert.equal(inst.failures, 0);
    assert.ok(typeof inst.ewmaLatencyMs === 'number' && inst.ewmaLatencyMs > 0, 'one answered request gives a latency average');
  });

  it('lists compiled routes', async () => {
    const { services } = (await send(proxy.adminUrl, { path: '/v1/routes' })).json<{ services: Array<{ routes: Array<Record<string, unknown>> }> }>();
    assert.deepEqual(services[0]!.routes[0], { index: 0, match: { path: '/admin/*' }, deny: 403 });
  });

  it('refuses a state change without the token, in constant time', async () => {
    const none = await send(proxy.adminUrl, { method: 'POST', path: '/v1/reload' });
    assert.equal(none.status, 401);
    assert.equal(none.json().code, 'UNAUTHORIZED');
    const wrong = await send(proxy.adminUrl, { method: 'POST', path: '/v1/reload', headers: { authorization: 'Bearer nope' } });
    assert.equal(wrong.status, 401);
  });

  it('reloads a changed mesh file', async () => {
    writeFileSync(meshFile, meshYaml(specs, upstreams));
    const reply = await send(proxy.adminUrl, { method: 'POST', path: '/v1/reload', headers: auth });
    assert.equal(reply.status, 200, reply.text());
    assert.equal(reply.json().services, 2);
    const inv = await send(proxy.proxyUrl, { headers: { host: 'inventory' } });
    assert.equal(inv.status, 200);
    assert.equal(inv.headers['x-instance'], 'inv-1');
    // Counters of instances that stayed survive the reload.
    const { services } = (await send(proxy.adminUrl, { path: '/v1/services' })).json<{ services: Array<{ name: string; instances: Array<{ requests: number }> }> }>();
    assert.ok(services.find((s) => s.name === 'payments')!.instances[0]!.requests >= 1);
  });

  it('rejects an invalid mesh file with its errors and keeps running the old one', async () => {
    writeFileSync(meshFile, 'services:\n  inventory:\n    policy: { loadBalancer: fastest }\n');
    const reply = await send(proxy.adminUrl, { method: 'POST', path: '/v1/reload', headers: auth });
    assert.equal(reply.status, 400);
    const body = reply.json<{ code: string; errors: Array<{ line: number; field: string; message: string }> }>();
    assert.equal(body.code, 'CONFIG_INVALID');
    assert.deepEqual(body.errors.map((e) => [e.line, e.field]), [[3, 'services.inventory.policy.loadBalancer']]);
    const still = await send(proxy.proxyUrl, { headers: { host: 'payments' } });
    assert.equal(still.status, 200);
  });

  it('answers unknown admin paths with JSON 404', async () => {
    const reply = await send(proxy.adminUrl, { path: '/v1/nothing' });
    assert.equal(reply.status, 404);
    assert.equal(reply.json().code, 'NOT_FOUND');
  });

  it('refuses to expose the admin API beyond loopback without a token', async () => {
    await assert.rejects(startTestProxy(meshFile, { admin: { host: '0.0.0.0', port: 0 } }), (err: unknown) => err instanceof AdminExposedError && /without a token/.test(err.message));
  });
});
