import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startEtcd, type EtcdCluster } from '../../../bench/etcd-cluster.js';
import { startControlPlane, type RunningControlPlane } from '../../../control/control-plane.js';
import { EtcdStore } from '../../../control/store/etcd/etcd-store.js';
import { send } from '../../helpers/http-client.js';
import { waitFor } from '../../helpers/wait.js';
import { MESH } from '../control-fixture.js';

let etcd: EtcdCluster;
let plane: RunningControlPlane;
let store: EtcdStore;
const call = (method: string, path: string, body?: unknown) =>
  send(plane.url, { method, path, headers: body === undefined ? {} : { 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });

before(async () => {
  etcd = await startEtcd();
  store = new EtcdStore({ endpoints: etcd.endpoints, prefix: '/faultmesh/down-reads/' });
  plane = await startControlPlane({ listen: { host: '127.0.0.1', port: 0 }, store });
});
after(async () => {
  await plane.close();
  await store.close();
  await etcd.stop();
});

describe('a replica whose etcd is out of reach', () => {
  it('still answers reads from the last state it saw, refuses writes, and reads the store again once it is back', async () => {
    assert.equal((await call('PUT', '/v1/mesh', { text: MESH, file: 'mesh.yaml' })).status, 200);
    const fault = (await call('POST', '/v1/faults', { target: 'payments', abort: { status: 503 }, ttl: '5m' })).json<{ id: string }>().id;
    const registered = await call('POST', '/v1/registrations', { service: 'payments', id: 'p2', address: '127.0.0.1:9302', labels: { version: 'v2' }, ttl: '5m' });
    assert.equal(registered.status, 201, registered.text());
    await waitFor(async () => (await call('GET', '/v1/status')).json<{ services: Array<{ instances: Array<{ id: string; leaseRemainingMs?: number }> }> }>().services.some((s) => s.instances.some((i) => i.id === 'p2' && i.leaseRemainingMs !== undefined)), 'the status shows the registration with its lease');
    const before = { mesh: (await call('GET', '/v1/mesh')).json(), faults: (await call('GET', '/v1/faults')).json<{ faults: Array<{ id: string }> }>().faults.map((f) => f.id) };
    // Added and never read through the API before the outage: the last state seen is the desired state's, not what was asked.
    const unread = (await call('POST', '/v1/faults', { target: 'payments', abort: { status: 502 }, ttl: '5m' })).json<{ id: string }>().id;
    await waitFor(async () => (await call('GET', '/healthz')).json<{ activeFaults: number }>().activeFaults === 2, 'the replica built the second fault');
    before.faults = [...before.faults, unread].sort();

    await etcd.kill(0);
    await waitFor(async () => (await call('GET', '/healthz')).json<{ status: string }>().status === 'store unavailable', 'the replica says it cannot reach etcd');
    const mesh = await call('GET', '/v1/mesh');
    assert.equal(mesh.status, 200, mesh.text());
    assert.deepEqual(mesh.json(), before.mesh);
    const faults = await call('GET', '/v1/faults');
    assert.equal(faults.status, 200, faults.text());
    assert.deepEqual(faults.json<{ faults: Array<{ id: string }> }>().faults.map((f) => f.id).sort(), before.faults);
    assert.ok(before.faults.includes(fault));
    const status = await call('GET', '/v1/status');
    assert.equal(status.status, 200, status.text());
    const p2 = status.json<{ services: Array<{ name: string; instances: Array<{ id: string; leaseRemainingMs?: number }> }> }>().services.find((s) => s.name === 'payments')?.instances.find((i) => i.id === 'p2');
    assert.ok(p2 && (p2.leaseRemainingMs ?? 0) > 0, `the registration is listed with what was left of its lease: ${JSON.stringify(p2)}`);
    assert.equal((await call('GET', '/v1/registrations')).json<{ registrations: unknown[] }>().registrations.length, 1);
    const write = await call('POST', '/v1/faults', { target: 'payments', abort: { status: 500 }, ttl: '1m' });
    assert.equal(write.status, 503);
    assert.equal(write.json<{ code: string }>().code, 'STORE_UNAVAILABLE');

    await etcd.restart(0);
    await waitFor(async () => (await call('GET', '/healthz')).status === 200, 'the replica reaches etcd again');
    const added = await call('POST', '/v1/faults', { target: 'payments', abort: { status: 500 }, ttl: '1m' });
    assert.equal(added.status, 201, added.text());
    assert.equal((await call('GET', '/v1/faults')).json<{ faults: unknown[] }>().faults.length, 3, 'reads see the store again');
  });
});
