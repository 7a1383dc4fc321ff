import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { EchoUpstream } from '../../../demo/echo-upstream.js';
import { applyMesh, call, Fleet, instancesOn, waitInSync, type FleetChild } from '../../helpers/control-fleet.js';
import { send } from '../../helpers/http-client.js';
import { startUpstreams } from '../../helpers/mesh-fixture.js';
import { holdsFor, waitFor } from '../../helpers/wait.js';

const TTL_MS = 2_000;

describe('failure rule: the holder of a registration dies', () => {
  const fleet = new Fleet();
  let upstreams: Map<string, EchoUpstream>;
  let control: FleetChild;
  let callers: FleetChild[];
  let sidecar: FleetChild;

  before(async () => {
    upstreams = await startUpstreams([{ service: 'payments', id: 'pay-1' }]);
    control = await fleet.control(['--listen', '127.0.0.1:0']);
    // payments has no static instance: it is only what registers.
    await applyMesh(control.url, 'services:\n  payments:\n    policy: { loadBalancer: round-robin }\n');
    callers = await Promise.all(['checkout-a', 'checkout-b'].map((id) => fleet.proxy(['--control', control.url, '--service', 'checkout', '--id', id], id)));
    const app = `127.0.0.1:${upstreams.get('pay-1')!.port}`;
    sidecar = await fleet.proxy(['--control', control.url, '--service', 'payments', '--id', 'payments-sidecar', '--register', `pay-1=${app}`, '--register-ttl', `${TTL_MS}ms`], 'payments sidecar');
    await waitInSync(control.url, [...callers, sidecar]);
  });
  after(async () => {
    await fleet.stopAll();
    for (const u of upstreams?.values() ?? []) await u.close();
  });

  it('drops the instance from every proxy\'s table within its lease once the registering sidecar is SIGKILLed', async () => {
    const everywhere = async (ids: string[]) => (await Promise.all([...callers, sidecar].map(instancesOn))).every((s) => (s.payments ?? []).join() === ids.join());
    await waitFor(() => everywhere(['pay-1']), 'the registered instance is on every proxy');
    // Renewed while its holder lives: it outlasts its own ttl.
    await holdsFor(() => everywhere(['pay-1']), TTL_MS + 500, 'the registration is renewed while the sidecar runs');
    for (const c of callers) assert.equal((await send(c.url, { path: '/', headers: { host: 'payments' } })).status, 200, `${c.name} reaches pay-1`);

    await fleet.kill(sidecar);
    const survivors = callers;
    // Within the lease (renewed at most a third of it ago) plus a generous margin for the push on a busy machine.
    await waitFor(async () => (await Promise.all(survivors.map(instancesOn))).every((s) => (s.payments ?? []).length === 0), 'pay-1 is gone from every proxy', TTL_MS + 10_000);
    const registrations = (await call(control.url, 'GET', '/v1/registrations')).json<{ registrations: unknown[] }>().registrations;
    assert.deepEqual(registrations, [], 'the control plane ended the registration with its lease');
    for (const c of survivors) {
      const r = await send(c.url, { path: '/', headers: { host: 'payments' } });
      assert.equal(r.status, 503, `${c.name} sends nothing to the dead instance`);
      assert.equal(r.headers['x-faultmesh-error'], 'NO_INSTANCE');
    }
  });
});
