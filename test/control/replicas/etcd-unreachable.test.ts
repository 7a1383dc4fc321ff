import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { etcdInstalled, startEtcd, type EtcdCluster } from '../../../bench/etcd-cluster.js';
import type { EchoUpstream } from '../../../demo/echo-upstream.js';
import { addFault, applyMesh, call, Fleet, faultIdsOn, waitInSync, type FleetChild } from '../../helpers/control-fleet.js';
import { send } from '../../helpers/http-client.js';
import { meshYaml, startUpstreams, type InstanceSpec } from '../../helpers/mesh-fixture.js';
import { KEEPALIVE_MS, KEEPALIVE_TIMEOUT_MS } from '../../../control/store/etcd/etcd-options.js';
import { waitFor, WAIT_MS } from '../../helpers/wait.js';
import { replicaOf, startReplica, startReplicaProxy } from './replica-fixture.js';
import { startTcpForwarder, type TcpForwarder } from './tcp-forwarder.js';

const specs: InstanceSpec[] = [
  { service: 'payments', id: 'pay-1' },
  { service: 'ledger', id: 'ledger-1' },
];
const rule = (id: string) => ({ id, target: 'ledger', abort: { status: 503 }, ttl: '60s' });
const healthz = async (control: string) => {
  const r = await send(control, { path: '/healthz' });
  return { status: r.status, body: r.json<{ status: string; version: number; activeFaults: number; storeError?: string }>() };
};
const faultIdsOf = async (control: string) => (await call(control, 'GET', '/v1/faults')).json<{ faults: Array<{ id: string }> }>().faults.map((f) => f.id).sort();

describe('failure rule: etcd is unreachable from one control-plane replica only', { skip: !etcdInstalled() && 'etcd is not installed (apt-get install etcd-server)' }, () => {
  const fleet = new Fleet();
  let etcd: EtcdCluster;
  let upstreams: Map<string, EchoUpstream>;
  /** Between replica A and etcd: cutting it takes etcd out of A's reach and nobody else's. */
  let route: TcpForwarder;
  let a: FleetChild;
  let b: FleetChild;
  let proxies: FleetChild[];

  before(async () => {
    [etcd, upstreams] = await Promise.all([startEtcd(), startUpstreams(specs)]);
    route = await startTcpForwarder(etcd.members[0]!.clientPort);
    [a, b] = await Promise.all([startReplica(fleet, `etcd://${route.endpoint}`, 'control A (through the forwarder)'), startReplica(fleet, etcd.url, 'control B')]);
    await applyMesh(b.url, meshYaml(specs, upstreams));
    proxies = await Promise.all(['on-a-1', 'on-a-2'].map((id) => startReplicaProxy(fleet, [a.url, b.url], id)));
    await waitInSync(a.url, proxies);
  });
  after(async () => {
    await fleet.stopAll();
    await route?.close();
    await etcd?.stop();
    for (const u of upstreams?.values() ?? []) await u.close();
  });

  it('says so on /healthz, refuses writes with 503 STORE_UNAVAILABLE, sends its proxies to the healthy replica, and recovers once etcd is back', async (t) => {
    assert.deepEqual(await Promise.all(proxies.map(replicaOf)), [a.url, a.url], 'the proxies start on A');
    assert.ok(route.accepted() > 0, 'A talks to etcd through the forwarder');
    const faultsBefore = await faultIdsOf(b.url);
    const meshBefore = (await call(b.url, 'GET', '/v1/mesh')).json();

    const cutAt = performance.now();
    await route.cut();
    // Its first probe failures (and reads that fail meanwhile) answer 503 STORE_UNAVAILABLE too; the status follows in about 2 s.
    await waitFor(async () => {
      const h = await healthz(a.url);
      return h.status === 503 && h.body.status === 'store unavailable';
    }, "A's /healthz answers 503 'store unavailable'");
    const noticedMs = Math.round(performance.now() - cutAt);
    const { body } = await healthz(a.url);
    assert.ok(body.storeError && body.storeError.length > 0, `A says what failed: ${JSON.stringify(body)}`);
    assert.equal((await healthz(b.url)).status, 200, 'B, which reaches etcd, is healthy');

    const refused = await call(a.url, 'POST', '/v1/faults', rule('through-a'));
    assert.equal(refused.status, 503, refused.text());
    const err = refused.json<{ code: string; message: string }>();
    assert.equal(err.code, 'STORE_UNAVAILABLE');
    assert.match(err.message, /cannot reach its store/);
    assert.match(err.message, /nothing was changed/);
    const mesh = await call(a.url, 'PUT', '/v1/mesh', { text: meshYaml(specs.slice(0, 1), upstreams), file: 'mesh.yaml' });
    assert.equal(mesh.status, 503, mesh.text());
    assert.equal(mesh.json<{ code: string }>().code, 'STORE_UNAVAILABLE');
    assert.deepEqual(await faultIdsOf(b.url), faultsBefore, 'nothing was written: B lists the same faults');
    // Not B's version: A's proxies arriving on B may move it on to etcd's revision, which bookkeeping writes move too.
    assert.deepEqual((await call(b.url, 'GET', '/v1/mesh')).json(), meshBefore, 'nothing was written: B has the same mesh, at the same version');

    await waitFor(async () => (await Promise.all(proxies.map(replicaOf))).every((url) => url === b.url), "A's proxies moved to B");
    const movedMs = Math.round(performance.now() - cutAt);
    await addFault(b.url, rule('through-b'));
    await waitFor(async () => (await Promise.all(proxies.map(faultIdsOn))).every((ids) => ids.includes('through-b')), 'a change written through B reaches them');

    const restoredAt = performance.now();
    await route.restore();
    await waitFor(async () => (await healthz(a.url)).status === 200, "A's /healthz answers 200 again");
    const recoveredMs = Math.round(performance.now() - restoredAt);
    // /healthz activeFaults is A's desired state, built from its watch; /v1/faults reads etcd.
    await waitFor(async () => (await healthz(a.url)).body.activeFaults === faultsBefore.length + 1, 'A caught up with what was written through B');
    assert.deepEqual(await faultIdsOf(a.url), [...faultsBefore, 'through-b'].sort());
    await addFault(a.url, rule('through-a-again'));
    await waitFor(async () => (await Promise.all(proxies.map(faultIdsOn))).every((ids) => ids.includes('through-a-again')), 'A accepts writes again and they reach the proxies on B');
    await addFault(b.url, rule('through-b-again'));
    await waitFor(async () => (await healthz(a.url)).body.activeFaults === faultsBefore.length + 3, "A's watch follows what is written through B again");
    t.diagnostic(`after the cut: A unhealthy in ${noticedMs} ms, its proxies on B in ${movedMs} ms; after the restore: A healthy in ${recoveredMs} ms`);
  });

  it("moves A's watch off a connection to etcd that went silent, so A keeps pushing what is written through B", async (t) => {
    // A proxy that knows A only: it sees whatever A's watch sees, or misses.
    const onlyA = await startReplicaProxy(fleet, [a.url], 'only-a');
    await waitInSync(a.url, [onlyA]);
    const stalledAt = performance.now();
    route.stall();
    await addFault(b.url, rule('while-silent'));
    // New calls from A open a new connection and succeed at once; the watch on the silent one is only freed by gRPC keepalive.
    await waitFor(async () => (await faultIdsOn(onlyA)).includes('while-silent'), "the change written through B reaches A's proxy", KEEPALIVE_MS + KEEPALIVE_TIMEOUT_MS + WAIT_MS);
    t.diagnostic(`A's proxy had the change ${Math.round(performance.now() - stalledAt)} ms after A's connection to etcd went silent`);
    const h = await healthz(a.url);
    assert.equal(h.status, 200);
    assert.equal(h.body.activeFaults, (await faultIdsOf(b.url)).length, "A's desired state holds every fault B lists");
  });
});
