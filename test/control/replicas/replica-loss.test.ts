import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { etcdInstalled, startEtcd, type EtcdCluster } from '../../../bench/etcd-cluster.js';
import type { EchoUpstream } from '../../../demo/echo-upstream.js';
import { addFault, applyMesh, call, desiredVersion, Fleet, faultIdsOn, healthOf, instancesOn, routesOn, startTraffic, waitInSync, type FleetChild, type Traffic } from '../../helpers/control-fleet.js';
import { meshYaml, startUpstreams, type InstanceSpec } from '../../helpers/mesh-fixture.js';
import { waitFor } from '../../helpers/wait.js';
import { EtcdStore } from '../../../control/store/etcd/etcd-store.js';
import { REPLICA_PREFIX, replicaOf, startReplica, startReplicaProxy } from './replica-fixture.js';

const specs: InstanceSpec[] = [
  { service: 'payments', id: 'pay-1' },
  { service: 'ledger', id: 'ledger-1' },
  { service: 'inventory', id: 'inv-1' },
];
/** The first mesh has no inventory; the one written while a replica is gone adds it, so a proxy that missed it cannot route there. */
const firstMesh = specs.slice(0, 2);
const rule = (id: string, ttl = '60s') => ({ id, target: 'ledger', abort: { status: 503 }, ttl });

/** What two replicas must agree on in GET /v1/faults: the rules, not the per-replica clock or the proxies' counters. */
async function faultRules(control: string): Promise<unknown[]> {
  const { faults } = (await call(control, 'GET', '/v1/faults')).json<{ faults: Array<Record<string, unknown>> }>();
  return faults.map(({ expiresAt: _e, counts: _c, proxies: _p, ...rest }) => rest).sort((x, y) => String(x.id).localeCompare(String(y.id)));
}
const faultIdsOf = async (control: string): Promise<string[]> => ((await faultRules(control)) as Array<{ id: string }>).map((f) => f.id);
const sorted = (ids: string[]) => [...ids].sort();

describe('two control-plane replicas on one etcd, and the loss of one or both', { skip: !etcdInstalled() && 'etcd is not installed (apt-get install etcd-server)' }, () => {
  const fleet = new Fleet();
  let etcd: EtcdCluster;
  let upstreams: Map<string, EchoUpstream>;
  let a: FleetChild;
  let b: FleetChild;
  /** Proxies that try A first, and proxies that try B first. */
  let onA: FleetChild[];
  let onB: FleetChild[];
  let proxies: FleetChild[];
  let traffic: Traffic[] = [];

  before(async () => {
    [etcd, upstreams] = await Promise.all([startEtcd(), startUpstreams(specs)]);
    [a, b] = await Promise.all([startReplica(fleet, etcd.url, 'control A'), startReplica(fleet, etcd.url, 'control B')]);
    await applyMesh(a.url, meshYaml(firstMesh, upstreams));
    onA = await Promise.all(['on-a-1', 'on-a-2'].map((id) => startReplicaProxy(fleet, [a.url, b.url], id)));
    onB = await Promise.all(['on-b-1', 'on-b-2'].map((id) => startReplicaProxy(fleet, [b.url, a.url], id)));
    proxies = [...onA, ...onB];
    await waitInSync(a.url, proxies);
  });
  after(async () => {
    // A failed test leaves its traffic running: it would spin on refused connections once the proxies are gone.
    await Promise.all(traffic.map((t) => t.stop()));
    await fleet.stopAll();
    await etcd?.stop();
    for (const u of upstreams?.values() ?? []) await u.close();
  });

  it('takes a write through either replica to the proxies of the other, and both serve identical state', async () => {
    assert.deepEqual(await Promise.all(onA.map(replicaOf)), [a.url, a.url], 'these proxies are on A');
    assert.deepEqual(await Promise.all(onB.map(replicaOf)), [b.url, b.url], 'these proxies are on B');

    await addFault(a.url, rule('via-a'));
    await waitFor(async () => (await Promise.all(onB.map(faultIdsOn))).every((ids) => ids.includes('via-a')), "a fault written through A is on B's proxies");
    await addFault(b.url, rule('via-b'));
    await waitFor(async () => (await Promise.all(onA.map(faultIdsOn))).every((ids) => ids.includes('via-b')), "a fault written through B is on A's proxies");

    const version = await waitInSync(a.url, proxies);
    assert.equal(await desiredVersion(b.url), version, 'both replicas are at the same version (an etcd revision)');
    assert.deepEqual((await call(b.url, 'GET', '/v1/mesh')).json(), (await call(a.url, 'GET', '/v1/mesh')).json(), 'GET /v1/mesh is the same on both');
    assert.deepEqual(await faultRules(b.url), await faultRules(a.url), 'GET /v1/faults lists the same rules on both');
    assert.deepEqual(await faultIdsOf(a.url), ['via-a', 'via-b']);
  });

  it('moves the proxies of a killed replica to the other one, and they miss no change made meanwhile', async (t) => {
    const victims: FleetChild[] = [];
    for (const p of proxies) if ((await replicaOf(p)) === a.url) victims.push(p);
    assert.deepEqual(victims.map((p) => p.name), onA.map((p) => p.name), "A's proxies are the ones that said so in /healthz control.url");
    const before = await desiredVersion(b.url);

    // A hangs first, so that what is written now certainly reaches A's proxies through no one: they must fetch it from B.
    a.proc.kill('SIGSTOP');
    await call(b.url, 'DELETE', '/v1/faults/via-a').then((r) => assert.equal(r.status, 200, r.text()));
    await applyMesh(b.url, meshYaml(specs, upstreams));
    await addFault(b.url, rule('while-a-hung'));
    // B's /healthz version follows its watch: read it once B's own proxies are in step.
    const written = await waitInSync(b.url, onB, "B's proxies applied the changes");
    assert.ok(written > before);
    for (const h of await Promise.all(victims.map(healthOf))) assert.ok(h.control.version < written, `${h.control.url}: a hung replica passed on nothing`);

    const killedAt = performance.now();
    await fleet.kill(a);
    let movedAt = 0;
    const moved = waitFor(async () => {
      if ((await Promise.all(victims.map(replicaOf))).some((url) => url !== b.url)) return false;
      movedAt = performance.now();
      return true;
    }, 'every proxy of the killed replica is connected to the other one');
    // And changes go on during the move, through the replica that is left (a few: each is one more fault in every snapshot).
    let duringMove = 0;
    let moving = true;
    const settled = moved.then(() => (moving = false), () => (moving = false));
    while (moving && duringMove < 20) await addFault(b.url, rule(`during-move-${duringMove++}`));
    await settled;
    await moved;
    const tookMs = Math.round(movedAt - killedAt);
    t.diagnostic(`the proxies of the killed replica were on the other one ${tookMs} ms after the SIGKILL (${duringMove} faults added meanwhile)`);

    const expected = ['via-b', 'while-a-hung', ...Array.from({ length: duringMove }, (_, i) => `during-move-${i}`)].sort();
    // B's version follows its watch a moment after the last write's reply: wait until it holds every fault written.
    await waitFor(async () => sorted((await call(b.url, 'GET', '/v1/status')).json<{ faults: Array<{ id: string }> }>().faults.map((f) => f.id)).join() === expected.join(), "B's desired state holds every fault written");
    const version = await waitInSync(b.url, proxies, 'every proxy applied the surviving replica\'s current version');
    assert.deepEqual(await faultIdsOf(b.url), expected, 'the store holds what was written');
    for (const p of proxies) {
      assert.equal((await healthOf(p)).control.version, version, `${p.name} applied the latest version`);
      assert.deepEqual(sorted(await faultIdsOn(p)), expected, `${p.name} holds exactly the faults written, the one deleted meanwhile gone`);
      assert.deepEqual((await instancesOn(p)).inventory, ['inv-1'], `${p.name} runs the mesh written meanwhile`);
    }
  });

  it('keeps traffic on the last configuration with every replica killed, ends leased faults at their lease, and resyncs on a restart', async () => {
    const short = await addFault(b.url, rule('short', '4s'));
    await waitFor(async () => (await Promise.all(proxies.map(faultIdsOn))).every((ids) => ids.includes('short')), 'the short fault is on every proxy');
    const expiresAt = Date.parse(short.expiresAt);
    const meshBefore = (await call(b.url, 'GET', '/v1/mesh')).json<{ version: number }>().version;
    const versionBefore = await desiredVersion(b.url);
    const routesBefore = await Promise.all(proxies.map(routesOn));
    traffic = proxies.map((p) => startTraffic(p.url, 'payments'));
    await waitFor(() => traffic.every((t) => t.sent() > 5), 'traffic flows through every proxy');

    await fleet.kill(b);
    await waitFor(async () => (await Promise.all(proxies.map(healthOf))).every((h) => !h.control.connected), 'every proxy saw the last replica go');
    const sentAtOutage = traffic.map((t) => t.sent());

    let goneAt = 0;
    await waitFor(async () => {
      if ((await Promise.all(proxies.map(faultIdsOn))).some((ids) => ids.includes('short'))) return false;
      goneAt = Date.now();
      return true;
    }, 'the short fault ended on every proxy with no replica up');
    // etcd tells the remainder of a lease in whole seconds, rounded down: a proxy may end a fault up to 1 s early, never late.
    assert.ok(goneAt >= expiresAt - 1_000 - 250, `the fault ended ${expiresAt - goneAt} ms before its lease end`);
    for (const p of proxies) assert.ok((await faultIdsOn(p)).includes('via-b'), `${p.name}: a fault whose lease runs on stays`);
    assert.deepEqual(await Promise.all(proxies.map(routesOn)), routesBefore, 'the proxies run the mesh they had');
    await waitFor(() => traffic.every((t, i) => t.sent() > sentAtOutage[i]! + 5), 'traffic flowed with no replica up');

    // etcd ends the lease up to a second after the proxies did (they count whole seconds down): wait for it, or A could start on the state before it.
    const direct = new EtcdStore({ endpoints: etcd.endpoints, prefix: REPLICA_PREFIX });
    try {
      await waitFor(async () => (await direct.get('faults/short')) === undefined, 'etcd ended the short lease');
    } finally {
      await direct.close();
    }
    // A comes back where the proxies look for it, on the same etcd.
    const restarted = await startReplica(fleet, etcd.url, 'control A (restarted)', a.port);
    const version = await waitInSync(restarted.url, proxies, "every proxy reconnected and applied the restarted replica's version");
    assert.ok(version > versionBefore, 'the lease end of the short fault is a change in etcd');
    assert.equal((await call(restarted.url, 'GET', '/v1/mesh')).json<{ version: number }>().version, meshBefore, 'the mesh is the one in etcd');
    assert.ok(!(await faultIdsOf(restarted.url)).includes('short'), 'etcd ended the short fault at its lease, with no replica up');

    await addFault(restarted.url, rule('after-restart'));
    await waitFor(async () => (await Promise.all(proxies.map(faultIdsOn))).every((ids) => ids.includes('after-restart')), 'a change after the restart reaches every proxy');

    await Promise.all(traffic.map((t) => t.stop()));
    assert.deepEqual(traffic.flatMap((t) => t.failures), [], 'no request failed through the proxies');
  });
});
