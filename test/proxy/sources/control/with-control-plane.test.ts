import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startControlPlane, type RunningControlPlane } from '../../../../control/control-plane.js';
import type { EchoUpstream } from '../../../../demo/echo-upstream.js';
import { startProxy, type RunningProxy } from '../../../../proxy/proxy-app.js';
import { send } from '../../../helpers/http-client.js';
import { startUpstreams } from '../../../helpers/mesh-fixture.js';
import { waitFor } from '../../../helpers/wait.js';

const TOKEN = 'e2e-token';
const auth = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };

describe('a proxy on the real control plane', () => {
  let control: RunningControlPlane;
  let upstreams: Map<string, EchoUpstream>;
  let proxy: RunningProxy;
  const said: string[] = [];
  const call = () => send(proxy.proxyUrl, { path: '/', headers: { host: 'payments' } });

  before(async () => {
    upstreams = await startUpstreams([{ service: 'payments', id: 'pay-1' }]);
    control = await startControlPlane({ listen: { host: '127.0.0.1', port: 0 }, token: TOKEN });
    proxy = await startProxy({
      listen: { host: '127.0.0.1', port: 0 },
      admin: { host: '127.0.0.1', port: 0 },
      accessLog: { kind: 'off' },
      service: 'checkout',
      control: { urls: [control.url], token: TOKEN, id: 'checkout-e2e', reportEveryMs: 200, log: (line) => said.push(line) },
      registration: { urls: [control.url], token: TOKEN, service: 'payments', instances: [{ id: 'pay-1', address: `127.0.0.1:${upstreams.get('pay-1')!.port}` }], ttlMs: 3_000 },
    });
  });
  after(async () => {
    await proxy?.close(1000);
    await control?.close();
    for (const u of upstreams?.values() ?? []) await u.close();
  });

  it('routes to a registered instance of an applied mesh, runs a fault added on the control plane, and shows on /v1/status', async () => {
    const text = 'services:\n  payments:\n    policy: { loadBalancer: round-robin }\n';
    const applied = await send(control.url, { method: 'PUT', path: '/v1/mesh', headers: auth, body: JSON.stringify({ text, file: 'mesh.yaml' }) });
    assert.equal(applied.status, 200, applied.text());
    await waitFor(async () => (await call()).headers['x-instance'] === 'pay-1', 'the registered instance serves through the proxy');

    const added = await send(control.url, { method: 'POST', path: '/v1/faults', headers: auth, body: JSON.stringify({ id: 'e2e-abort', target: 'payments', abort: { status: 503 }, ttl: '60s' }) });
    assert.equal(added.status, 201, added.text());
    await waitFor(async () => (await call()).headers['x-faultmesh-fault'] === 'e2e-abort', 'the fault applies on the proxy');

    const status = async () => (await send(control.url, { path: '/v1/status' })).json<{ version: number; proxies: Array<{ id: string; applied: number; connected: boolean }> }>();
    await waitFor(async () => {
      const s = await status();
      return s.proxies.some((p) => p.id === 'checkout-e2e' && p.connected && p.applied === s.version);
    }, 'the control plane sees the proxy on the desired version');
    assert.deepEqual(
      said.filter((l) => /channel|by POST/.test(l)),
      [],
      'acks and reports went on the channel, never by POST',
    );

    const removed = await send(control.url, { method: 'DELETE', path: '/v1/faults/e2e-abort', headers: auth });
    assert.equal(removed.status, 200, removed.text());
    await waitFor(async () => (await call()).status === 200, 'the removal reaches the proxy');
  });
});
