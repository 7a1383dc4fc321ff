import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startEtcd, type EtcdCluster } from '../../../bench/etcd-cluster.js';
import { startControlPlane, type RunningControlPlane } from '../../../control/control-plane.js';
import { EtcdStore } from '../../../control/store/etcd/etcd-store.js';
import { send } from '../../helpers/http-client.js';
import { waitFor } from '../../helpers/wait.js';
import { openStream, type StreamClient } from '../control-fixture.js';

// etcd gives every lease its whole ttl again when it restarts: the recorded deadline keeps a dead holder's fault from coming back.
let etcd: EtcdCluster;
let plane: RunningControlPlane;
let store: EtcdStore;
const streams: StreamClient[] = [];
const call = (base: string, method: string, path: string, body?: unknown) =>
  send(base, { method, path, headers: body === undefined ? {} : { 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });

before(async () => {
  etcd = await startEtcd();
  store = new EtcdStore({ endpoints: etcd.endpoints, prefix: '/faultmesh/deadlines/' });
  plane = await startControlPlane({ listen: { host: '127.0.0.1', port: 0 }, store });
});
after(async () => {
  for (const s of streams) s.close();
  await plane.close();
  await store.close();
  await etcd.stop();
});

describe('lease deadlines on etcd', () => {
  it('never pushes again, and revokes, a fault whose lease etcd renewed in full on restart after its holder stopped', async () => {
    const lease = (await call(plane.url, 'POST', '/v1/leases', { ttl: '3s' })).json<{ id: string }>();
    const added = await call(plane.url, 'POST', '/v1/faults', { target: 'payments', abort: { status: 503 }, lease: lease.id });
    assert.equal(added.status, 201, added.text());
    const id = added.json<{ id: string }>().id;
    // etcd goes down with the lease alive, and stays down past the lease's end: nobody could renew it.
    await etcd.kill(0);
    const killedAt = Date.now();
    await waitFor(() => Date.now() > killedAt + 5_000, 'the lease and its grace have passed');
    await etcd.restart(0);
    const stream = await waitForStream(plane.url);
    const snapshots = stream.snapshots().length;
    await waitFor(async () => (await store.get(`faults/${id}`)) === undefined, 'a replica revoked the overdue lease, long before the ttl etcd gave it again would end', 10_000);
    const pushed = stream.snapshots().slice(0).map((e) => (e.data.faults as Array<{ id: string }>).map((f) => f.id));
    assert.ok(pushed.every((ids) => !ids.includes(id)), `no snapshot after the restart holds the fault: ${JSON.stringify(pushed)}`);
    assert.ok(stream.snapshots().length >= snapshots);
    assert.equal(await store.leaseTtl(lease.id), undefined, 'the lease itself is gone');
  });

  it('keeps a lease renewed through the control plane: the deadline moves with each renewal', async () => {
    const lease = (await call(plane.url, 'POST', '/v1/leases', { ttl: '2s' })).json<{ id: string }>();
    const added = await call(plane.url, 'POST', '/v1/faults', { target: 'payments', abort: { status: 503 }, lease: lease.id });
    const id = added.json<{ id: string }>().id;
    const until = async () => ((await store.get(`leases/${lease.id}`))?.value as { until: number } | undefined)?.until ?? 0;
    const first = await until();
    assert.ok(first > Date.now(), 'a deadline is recorded at the grant');
    const started = Date.now();
    // A holder's pace: a renewal every half second, for more than two of the lease's first terms.
    while (Date.now() - started < 5_000) {
      assert.equal((await call(plane.url, 'POST', `/v1/leases/${lease.id}/renew`)).status, 200);
      const renewedAt = Date.now();
      await waitFor(() => Date.now() - renewedAt >= 500, 'the next renewal is due');
    }
    assert.ok((await until()) > first + 3_000, 'each renewal moved the deadline');
    assert.ok(await store.get(`faults/${id}`), 'the fault outlived two of its first terms, renewed');
  });
});

describe("leases that are not the control plane's", () => {
  it('cannot be renewed, revoked or hung a fault on through it: another mesh or program on the same etcd keeps its leases', async () => {
    const foreign = await store.grantLease(30_000); // straight in etcd, as another program would
    await store.put('elsewhere/x', 1, { lease: foreign.id });
    for (const [method, path, body] of [
      ['POST', `/v1/leases/${foreign.id}/renew`, undefined],
      ['DELETE', `/v1/leases/${foreign.id}`, undefined],
      ['POST', '/v1/faults', { target: 'payments', abort: { status: 503 }, lease: foreign.id }],
    ] as const) {
      const r = await call(plane.url, method, path, body);
      assert.equal(r.status, 404, `${method} ${path}: ${r.text()}`);
      assert.equal(r.json<{ code: string }>().code, 'LEASE_NOT_FOUND');
    }
    assert.ok((await store.leaseTtl(foreign.id)) !== undefined, 'the foreign lease lives on');
    assert.ok(await store.get('elsewhere/x'), 'and so does its key');
  });

  it("refuses a lease id past etcd's int64 instead of wrapping it onto another lease", async () => {
    const lease = (await call(plane.url, 'POST', '/v1/leases', { ttl: '30s' })).json<{ id: string }>();
    const wrapped = (BigInt(lease.id) + 2n ** 64n).toString();
    const r = await call(plane.url, 'DELETE', `/v1/leases/${wrapped}`);
    assert.equal(r.status, 404, r.text());
    assert.ok((await store.leaseTtl(lease.id)) !== undefined, 'the lease the id would wrap onto is untouched');
  });
});

/** The control plane's proxy stream, once it is healthy again after etcd's restart. */
async function waitForStream(url: string): Promise<StreamClient> {
  let stream: StreamClient | undefined;
  await waitFor(async () => {
    const s = await openStream(url, { id: `deadline-proxy-${Date.now()}`, service: 'web' });
    if (s.status !== 200) return (s.close(), false);
    stream = s;
    return true;
  }, 'the replica accepts a stream again', 20_000);
  streams.push(stream!);
  await stream!.next((e) => e.event === 'snapshot');
  return stream!;
}
