import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { etcdInstalled, startEtcd, type EtcdCluster } from '../../../bench/etcd-cluster.js';
import { keysUnder } from '../../../control/keys.js';
import { EtcdStore } from '../../../control/store/etcd/etcd-store.js';
import type { EchoUpstream } from '../../../demo/echo-upstream.js';
import { applyMesh, call, Fleet, faultIdsOn, waitInSync, type FleetChild } from '../../helpers/control-fleet.js';
import { send } from '../../helpers/http-client.js';
import { meshYaml, startUpstreams, tempDir, type InstanceSpec } from '../../helpers/mesh-fixture.js';
import { holdsFor, waitFor } from '../../helpers/wait.js';

const specs: InstanceSpec[] = [
  { service: 'payments', id: 'pay-1' },
  { service: 'ledger', id: 'ledger-1' },
];
const PREFIX = '/faultmesh/runner-death/';
/** The run's lease (etcd counts whole seconds), renewed by the runner every third of it. */
const LEASE_MS = 3_000;
/** Past the lease: etcd's expiry check, the watch, the push and the proxy's apply, on a busy machine. */
const MARGIN_MS = 3_000;

describe('failure rule: the runner dies mid-fault, on a control plane of two replicas on etcd', { skip: !etcdInstalled() && 'etcd is not installed (apt-get install etcd-server)' }, () => {
  const fleet = new Fleet();
  const dir = tempDir();
  let etcd: EtcdCluster;
  let direct: EtcdStore;
  let upstreams: Map<string, EchoUpstream>;
  let replicas: FleetChild[];
  let proxies: FleetChild[];

  before(async () => {
    etcd = await startEtcd();
    direct = new EtcdStore({ endpoints: etcd.endpoints, prefix: PREFIX });
    upstreams = await startUpstreams(specs);
    replicas = await Promise.all(['A', 'B'].map((n) => fleet.control(['--listen', '127.0.0.1:0', '--store', etcd.url, '--etcd-prefix', PREFIX], `control ${n}`)));
    const [a, b] = replicas.map((r) => r.url);
    await applyMesh(a!, meshYaml(specs, upstreams));
    // Two proxies on each replica: the fault is added through A and must end on B's proxies too.
    const plan = [['checkout-a1', `${a},${b}`], ['checkout-a2', `${a},${b}`], ['checkout-b1', `${b},${a}`], ['checkout-b2', `${b},${a}`]] as const;
    proxies = await Promise.all(plan.map(([id, control]) => fleet.proxy(['--control', control, '--service', 'checkout', '--id', id], id)));
    for (const r of replicas) await waitInSync(r.url, proxies, `every proxy applied ${r.name}'s version`);
  });
  after(async () => {
    await fleet.stopAll();
    await direct?.close();
    for (const u of upstreams?.values() ?? []) await u.close();
    await etcd?.stop();
    dir.remove();
  });

  it("deletes the fault key at the run lease's end and drops the fault on every proxy of both replicas once `faultmesh run` is SIGKILLed", async (t) => {
    const experiment = dir.file(
      'ledger-down.yaml',
      `title: ledger down while the runner dies
configuration: { control: "${replicas[0]!.url}" }
method:
  - { type: action, name: ledger-503, provider: { type: fault, rule: { target: ledger, abort: { status: 503 } }, duration: 5m } }
`,
    );
    const runner = fleet.launch(['run', experiment, '--fault-lease', `${LEASE_MS}ms`, '--journal', `${dir.path}/journal.json`], 'faultmesh run');
    await runner.line(/fault \S+ injected/);
    const [fault] = (await call(replicas[1]!.url, 'GET', '/v1/faults')).json<{ faults: Array<{ id: string; lease?: string }> }>().faults;
    assert.ok(fault?.lease, `the fault hangs on the run's lease: ${JSON.stringify(fault)}`);
    const key = keysUnder().fault(fault.id);
    assert.equal((await direct.get(key))?.lease, fault.lease, 'the fault key is on the etcd lease');
    const onEvery = async () => (await Promise.all(proxies.map(faultIdsOn))).every((ids) => ids.includes(fault.id));
    await waitFor(onEvery, 'the fault is on every proxy');
    // Renewed while the runner lives: it outlasts its lease.
    await holdsFor(onEvery, LEASE_MS + 500, 'the fault holds past its lease while the runner renews it');
    const r = await send(proxies[3]!.url, { path: '/', headers: { host: 'ledger' } });
    assert.equal(r.status, 503, 'a proxy on replica B injects it');

    await fleet.kill(runner);
    const killedAt = performance.now();
    let keyGoneMs: number | undefined;
    const proxyGoneMs: Array<number | undefined> = proxies.map(() => undefined);
    await waitFor(async () => {
      const [kv, lists] = await Promise.all([direct.get(key), Promise.all(proxies.map(faultIdsOn))]);
      const now = Math.round(performance.now() - killedAt);
      if (kv === undefined) keyGoneMs ??= now;
      lists.forEach((ids, i) => (ids.includes(fault.id) ? undefined : (proxyGoneMs[i] ??= now)));
      return keyGoneMs !== undefined && proxyGoneMs.every((ms) => ms !== undefined);
    }, 'the fault key is deleted and every proxy dropped the fault', LEASE_MS + MARGIN_MS + 10_000);
    t.diagnostic(`from the SIGKILL: key deleted from etcd after ${keyGoneMs} ms; dropped by ${proxies.map((p, i) => `${p.name} ${proxyGoneMs[i]} ms`).join(', ')} (lease ${LEASE_MS} ms)`);

    assert.ok(keyGoneMs! <= LEASE_MS + MARGIN_MS, `the key went ${keyGoneMs} ms after the kill: within the lease (${LEASE_MS} ms) plus ${MARGIN_MS} ms`);
    for (const [i, p] of proxies.entries()) assert.ok(proxyGoneMs[i]! <= LEASE_MS + MARGIN_MS, `${p.name} dropped it ${proxyGoneMs[i]} ms after the kill: within the lease plus ${MARGIN_MS} ms`);
    assert.equal(await direct.leaseTtl(fault.lease), undefined, "etcd ended the run's lease");
    for (const rep of replicas) assert.deepEqual((await call(rep.url, 'GET', '/v1/faults')).json<{ faults: unknown[] }>().faults, [], `${rep.name} lists no fault`);
    for (const p of proxies) assert.equal((await send(p.url, { path: '/', headers: { host: 'ledger' } })).status, 200, `${p.name} serves ledger again`);
  });
});
