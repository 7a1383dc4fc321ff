import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { EchoUpstream } from '../../../demo/echo-upstream.js';
import { applyMesh, call, Fleet, healthOf, waitInSync, type FleetChild } from '../../helpers/control-fleet.js';
import { send } from '../../helpers/http-client.js';
import { meshYaml, startUpstreams, type InstanceSpec } from '../../helpers/mesh-fixture.js';
import { waitFor } from '../../helpers/wait.js';

const TOKEN = 'failure-rules-token';
const specs: InstanceSpec[] = [{ service: 'payments', id: 'pay-1' }];

/** Every state change of the control plane, and what a proxy sends: each one needs the token. */
const WRITES: Array<[string, string, unknown]> = [
  ['PUT', '/v1/mesh', { text: 'services: {}\n' }],
  ['POST', '/v1/faults', { target: 'payments', abort: { status: 503 }, ttl: '60s' }],
  ['DELETE', '/v1/faults', undefined],
  ['DELETE', '/v1/faults/any', undefined],
  ['POST', '/v1/faults/any/renew', { ttl: '60s' }],
  ['POST', '/v1/halt', undefined],
  ['POST', '/v1/resume', undefined],
  ['POST', '/v1/leases', { ttl: '60s' }],
  ['POST', '/v1/leases/any/renew', undefined],
  ['DELETE', '/v1/leases/any', undefined],
  ['POST', '/v1/registrations', { service: 'payments', id: 'p9', address: '127.0.0.1:9', ttl: '10s' }],
  ['POST', '/v1/registrations/payments/p9/renew', undefined],
  ['DELETE', '/v1/registrations/payments/p9', undefined],
  ['PUT', '/v1/overrides/payments/0', { to: [{ labels: {}, weight: 1 }], ttl: '10s' }],
  ['DELETE', '/v1/overrides/payments/0', undefined],
  ['POST', '/v1/proxies/web-right/ack', { version: 1, applied: true }],
  ['POST', '/v1/proxies/web-right/report', { faults: {}, instances: [] }],
  ['GET', '/v1/stream?id=intruder&service=web', undefined],
];

describe('failure rule: the control token', () => {
  const fleet = new Fleet();
  let upstreams: Map<string, EchoUpstream>;
  let control: FleetChild;
  let right: FleetChild;
  let wrong: FleetChild;

  before(async () => {
    upstreams = await startUpstreams(specs);
    control = await fleet.control(['--listen', '127.0.0.1:0', '--token', TOKEN]);
    await applyMesh(control.url, meshYaml(specs, upstreams), TOKEN);
    [right, wrong] = await Promise.all([
      fleet.proxy(['--control', control.url, '--control-token', TOKEN, '--service', 'web', '--id', 'web-right'], 'web-right'),
      fleet.proxy(['--control', control.url, '--service', 'web', '--id', 'web-wrong'], 'web-wrong', { FAULTMESH_CONTROL_TOKEN: 'not-the-token' }),
    ]);
    await waitInSync(control.url, [right]);
  });
  after(async () => {
    await fleet.stopAll();
    for (const u of upstreams?.values() ?? []) await u.close();
  });

  it('keeps a proxy with a wrong token not ready, saying why, and out of the control plane\'s proxies', async () => {
    await waitFor(async () => (await healthOf(wrong)).control.lastError !== null, 'the proxy with the wrong token tried');
    const h = await healthOf(wrong);
    assert.equal(h.ready, false);
    assert.equal(h.control.connected, false);
    assert.match(h.notReadyReason!, /never reached the control plane \(.*answered 401 UNAUTHORIZED.*\), and no --mesh fallback/);
    const refused = await send(wrong.url, { path: '/', headers: { host: 'payments' } });
    assert.deepEqual([refused.status, refused.headers['x-faultmesh-error']], [503, 'NOT_READY'], 'it has no mesh to route with');
    assert.equal(upstreams.get('pay-1')!.received(), 0, 'and sent nothing anywhere');
    assert.equal((await healthOf(right)).ready, true, 'the proxy with the token is ready');
    const status = (await call(control.url, 'GET', '/v1/status')).json<{ proxies: Array<{ id: string }> }>();
    assert.deepEqual(status.proxies.map((p) => p.id), ['web-right']);
  });

  it('answers 401 to every write, stream, ack and report without the token, and changes nothing', async () => {
    const version = (await call(control.url, 'GET', '/healthz')).json<{ version: number }>().version;
    for (const [method, path, body] of WRITES) {
      for (const token of [undefined, 'not-the-token']) {
        const r = await call(control.url, method, path, body, token);
        assert.equal(r.status, 401, `${method} ${path} with ${token ? 'a wrong token' : 'no token'}: ${r.text()}`);
        assert.equal(r.json().code, 'UNAUTHORIZED');
      }
    }
    const health = (await call(control.url, 'GET', '/healthz')).json<{ version: number; halted: boolean }>();
    assert.deepEqual([health.version, health.halted], [version, false], 'nothing changed');
    assert.equal((await call(control.url, 'POST', '/v1/faults', WRITES[1]![2], TOKEN)).status, 201, 'the same write with the token is taken');
  });
});
