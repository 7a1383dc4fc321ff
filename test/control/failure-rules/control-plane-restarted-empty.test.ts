import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { EchoUpstream } from '../../../demo/echo-upstream.js';
import { addFault, applyMesh, call, Fleet, faultIdsOn, healthOf, instancesOn, waitInSync, type FleetChild } from '../../helpers/control-fleet.js';
import { send } from '../../helpers/http-client.js';
import { meshYaml, startUpstreams, type InstanceSpec } from '../../helpers/mesh-fixture.js';
import { waitFor } from '../../helpers/wait.js';

const specs: InstanceSpec[] = [
  { service: 'payments', id: 'pay-1' },
  { service: 'payments', id: 'pay-2' },
];

interface Status {
  version: number;
  summary: string;
  discrepancies: string[];
  proxies: Array<{ id: string; applied: number; connected: boolean }>;
}

describe('failure rule: the control plane restarts without --data', () => {
  const fleet = new Fleet();
  let upstreams: Map<string, EchoUpstream>;
  let control: FleetChild;
  let proxies: FleetChild[];

  before(async () => {
    upstreams = await startUpstreams(specs);
    control = await fleet.control(['--listen', '127.0.0.1:0']);
    await applyMesh(control.url, meshYaml(specs.slice(0, 1), upstreams));
    proxies = await Promise.all(['web-a', 'web-b'].map((id) => fleet.proxy(['--control', control.url, '--service', 'web', '--id', id], id)));
    // Some history, so the proxies' version is well above what a fresh store numbers from.
    for (const id of ['f1', 'f2', 'f3']) await addFault(control.url, { id, target: 'payments', match: { paths: ['/never'] }, abort: { status: 503 }, ttl: '60s' });
    await waitInSync(control.url, proxies);
  });
  after(async () => {
    await fleet.stopAll();
    for (const u of upstreams?.values() ?? []) await u.close();
  });

  it('keeps each proxy\'s configuration through the empty snapshot, then applies the new history\'s lower versions, and status shows them in sync', async () => {
    const before = await Promise.all(proxies.map(healthOf));
    const oldVersion = before[0]!.control.version;
    await fleet.kill(control);
    const fresh = await fleet.control(['--listen', `127.0.0.1:${control.port}`], 'control (restarted empty)');
    const emptyVersion = await waitInSync(fresh.url, proxies, 'every proxy took the fresh control plane\'s first snapshot');
    assert.ok(emptyVersion < oldVersion, `the fresh store numbers from the start (${emptyVersion} < ${oldVersion})`);
    assert.equal((await call(fresh.url, 'GET', '/v1/mesh')).status, 404, 'the fresh control plane has no mesh');

    // A snapshot without a mesh never replaces a good configuration.
    for (const p of proxies) {
      const h = await healthOf(p);
      assert.equal(h.ready, true, `${p.name} is still ready`);
      assert.deepEqual((await instancesOn(p)).payments, ['pay-1'], `${p.name} keeps its table`);
      assert.equal((await send(p.url, { path: '/', headers: { host: 'payments' } })).status, 200, `${p.name} still serves payments`);
      assert.deepEqual(await faultIdsOn(p), [], `${p.name} holds only what the control plane holds now`);
    }
    let summary = '';
    const settled = waitFor(async () => (summary = (await call(fresh.url, 'GET', '/v1/status')).json<Status>().summary) === `all 2 proxies on version ${emptyVersion}`, 'status shows both proxies on the fresh version');
    await settled.catch(() => assert.fail(`status does not show both proxies in sync: ${summary}`));

    const applied = await applyMesh(fresh.url, meshYaml(specs, upstreams));
    assert.ok(applied < oldVersion);
    await waitFor(async () => (await Promise.all(proxies.map(instancesOn))).every((s) => s.payments?.join() === 'pay-1,pay-2'), 'every proxy applied the new mesh despite its lower version');
    const version = await waitInSync(fresh.url, proxies);
    const status = (await call(fresh.url, 'GET', '/v1/status')).json<Status>();
    assert.deepEqual(status.discrepancies, []);
    assert.deepEqual(status.proxies.map((p) => [p.id, p.connected, p.applied]).sort(), [['web-a', true, version], ['web-b', true, version]]);
  });
});
