import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { EchoUpstream } from '../../../demo/echo-upstream.js';
import { addFault, applyMesh, call, desiredVersion, Fleet, faultIdsOn, healthOf, routesOn, startTraffic, waitInSync, type FleetChild } from '../../helpers/control-fleet.js';
import { send } from '../../helpers/http-client.js';
import { meshYaml, startUpstreams, tempDir, type InstanceSpec } from '../../helpers/mesh-fixture.js';
import { waitFor } from '../../helpers/wait.js';

const specs: InstanceSpec[] = [
  { service: 'payments', id: 'pay-1' },
  { service: 'ledger', id: 'ledger-1' },
];

describe('failure rule: the control plane dies while proxies serve traffic', () => {
  const fleet = new Fleet();
  const dir = tempDir();
  let upstreams: Map<string, EchoUpstream>;
  let control: FleetChild;
  let proxies: FleetChild[];

  before(async () => {
    upstreams = await startUpstreams(specs);
    control = await fleet.control(['--listen', '127.0.0.1:0', '--data', dir.path]);
    await applyMesh(control.url, meshYaml(specs, upstreams));
    proxies = await Promise.all(['checkout-a', 'checkout-b'].map((id) => fleet.proxy(['--control', control.url, '--service', 'checkout', '--id', id], id)));
    await waitInSync(control.url, proxies);
  });
  after(async () => {
    await fleet.stopAll();
    for (const u of upstreams?.values() ?? []) await u.close();
    dir.remove();
  });

  it('keeps serving (0 failed requests), ends the fault at its lease end on every proxy, and resyncs once it restarts with --data', async () => {
    const meshBefore = (await call(control.url, 'GET', '/v1/mesh')).json<{ version: number }>().version;
    const routesBefore = await Promise.all(proxies.map(routesOn));
    const fault = await addFault(control.url, { id: 'ledger-503', target: 'ledger', abort: { status: 503 }, ttl: '5s' });
    await waitFor(async () => (await Promise.all(proxies.map(faultIdsOn))).every((ids) => ids.includes('ledger-503')), 'the fault is on every proxy');
    const expiresAt = Date.parse(fault.expiresAt);

    const traffic = proxies.map((p) => startTraffic(p.url, 'payments'));
    await waitFor(() => traffic.every((t) => t.sent() > 5), 'traffic flows through every proxy');
    await fleet.kill(control);
    await waitFor(async () => (await Promise.all(proxies.map(healthOf))).every((h) => !h.control.connected), 'every proxy saw the control plane go');
    const sentAtOutage = traffic.map((t) => t.sent());

    // Fail safe: the fault holds until its lease end, and not a moment past what the proxy knew.
    let goneAt = 0;
    await waitFor(async () => {
      const ids = await Promise.all(proxies.map(faultIdsOn));
      if (ids.some((i) => i.includes('ledger-503'))) return false;
      goneAt = Date.now();
      return true;
    }, 'the fault ended on every proxy with the control plane away');
    assert.ok(goneAt >= expiresAt - 250, `the fault ended ${expiresAt - goneAt}ms before its lease end: a lost control plane must not cut it short either`);
    for (const p of proxies) {
      const r = await send(p.url, { path: '/', headers: { host: 'ledger' } });
      assert.equal(r.status, 200, `${p.name}: ledger is served without the fault`);
      assert.equal(r.headers['x-faultmesh-fault'], undefined);
    }
    // Fail static: traffic kept flowing through the whole outage.
    await waitFor(() => traffic.every((t, i) => t.sent() > sentAtOutage[i]! + 5), 'traffic flowed during the outage');

    const restarted = await fleet.control(['--listen', `127.0.0.1:${control.port}`, '--data', dir.path], 'control (restarted)');
    const version = await waitInSync(restarted.url, proxies, 'every proxy reconnected and applied the restarted control plane\'s version');
    const mesh = (await call(restarted.url, 'GET', '/v1/mesh')).json<{ version: number }>();
    assert.equal(mesh.version, meshBefore, 'the mesh survived the restart with its version');
    assert.ok(version > meshBefore, 'the restarted store goes on past the revisions it had');
    assert.deepEqual(await Promise.all(proxies.map(routesOn)), routesBefore, 'the proxies run the same routes');

    await addFault(restarted.url, { id: 'after-restart', target: 'ledger', abort: { status: 503 }, ttl: '60s' });
    await waitFor(async () => (await Promise.all(proxies.map(faultIdsOn))).every((ids) => ids.includes('after-restart')), 'a change after the restart reaches every proxy');
    assert.ok((await desiredVersion(restarted.url)) > version);

    await Promise.all(traffic.map((t) => t.stop()));
    assert.deepEqual(traffic.flatMap((t) => t.failures), [], 'no request failed through the proxies');
  });
});
