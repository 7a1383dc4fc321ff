import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { etcdInstalled, startEtcd, type EtcdCluster } from '../../../bench/etcd-cluster.js';
import { benchMeshText, ControlApi, writeOf } from '../../../bench/control/control-api.js';
import { sustainedWrites } from '../../../bench/control/sustained.js';
import { Watcher } from '../../../bench/control/watcher.js';
import { WatcherPool } from '../../../bench/control/watcher-pool.js';
import { WriteTimer } from '../../../bench/control/write-timer.js';
import { startControlPlane, type RunningControlPlane } from '../../../control/control-plane.js';
import { EtcdStore } from '../../../control/store/etcd/etcd-store.js';

// The control bench on two replicas of one real etcd: a write through one
// replica is timed to the acks of the proxies on both.
const TOKEN = 'bench-replicas-token';

interface StatusView {
  version: number;
  proxies: Array<{ id: string; replica?: string; connected: boolean; applied: number }>;
}

describe('the control bench on two replicas of one etcd', { skip: !etcdInstalled() && 'etcd is not installed' }, () => {
  let etcd: EtcdCluster;
  const planes: Array<{ plane: RunningControlPlane; store: EtcdStore; api: ControlApi }> = [];
  let pool: WatcherPool;
  /** A watcher on replica B that the timer treats as a real proxy there: status on B is where its acks are read. */
  let onB: Watcher;
  const [a, b] = [() => planes[0]!, () => planes[1]!];
  const status = (p: { api: ControlApi }) => p.api.call<StatusView>('GET', '/v1/status');
  const version = async (p: { api: ControlApi }) => (await p.api.call<{ version: number }>('GET', '/healthz')).version;

  before(async () => {
    etcd = await startEtcd();
    for (let i = 0; i < 2; i++) {
      const store = new EtcdStore({ endpoints: etcd.endpoints, prefix: '/faultmesh/bench-test/' });
      const plane = await startControlPlane({ listen: { host: '127.0.0.1', port: 0 }, store, token: TOKEN });
      planes.push({ plane, store, api: new ControlApi(plane.url, TOKEN) });
    }
    await a().api.call('PUT', '/v1/mesh', { text: benchMeshText(0), file: 'bench-mesh.yaml' });
    // One worker asked for, two origins: a worker each, so both replicas have watchers.
    pool = await WatcherPool.start([a().plane.url, b().plane.url], TOKEN, 4, 1);
    onB = new Watcher({ origin: b().plane.url, id: 'real-b', token: TOKEN, onAck: () => {} });
    await onB.start();
  });
  after(async () => {
    await onB?.close();
    await pool?.close();
    for (const p of planes.reverse()) {
      await p.api.close();
      await p.plane.close();
      await p.store.close();
    }
    await etcd?.stop();
  });

  it('spreads the watcher workers over the replicas it is given, one worker at least per replica', async () => {
    const own = (s: StatusView, prefix: string) => s.proxies.filter((p) => p.replica === undefined && p.connected && p.id.startsWith(prefix)).length;
    assert.equal(pool.pids.length, 2);
    assert.deepEqual([own(await status(a()), 'watcher-0-'), own(await status(a()), 'watcher-1-')], [2, 0], 'worker 0 on replica A');
    assert.deepEqual([own(await status(b()), 'watcher-0-'), own(await status(b()), 'watcher-1-')], [0, 2], 'worker 1 on replica B');
  });

  it("times a write through replica A to the ack of every proxy on replica B too, and follows versions that leap over the replicas' own keys", async () => {
    const timer = new WriteTimer([{ api: a().api, realIds: [] }, { api: b().api, realIds: ['real-b'] }], await version(a()), false);
    await timer.allAcked(timer.expectedVersion, pool);
    for (let round = 1; round <= 3; round++) {
      // A replica's status key is bookkeeping: it moves etcd's revision and makes no version, as each replica's publish does every 2 s.
      await a().store.put(`replicas/bench-test-${round}`, { url: 'http://127.0.0.1:1', at: 0, proxies: [] });
      const sample = await timer.time('mesh apply', writeOf(round % 2 ? a().api : b().api, 'mesh apply', round), pool);
      const [va, vb] = [await version(a()), await version(b())];
      assert.equal(timer.expectedVersion, Math.max(va, vb), `round ${round}: the timer is at the version the replicas pushed`);
      const real = (await status(b())).proxies.find((p) => p.id === 'real-b' && p.replica === undefined)!;
      assert.ok(real.connected && real.applied >= vb, `round ${round}: replica B had recorded real-b's ack of ${vb} when the timer returned (it had ${real.applied})`);
      assert.ok(onB.acks.some((k) => k.version >= vb), 'the watcher on B acked it');
      assert.ok(sample.ackedMs >= sample.receivedMs && sample.receivedMs > 0, JSON.stringify(sample));
    }
  });

  it('counts sustained writes over both replicas, and says when every proxy had the last state', async () => {
    const timer = new WriteTimer([{ api: a().api, realIds: [] }, { api: b().api, realIds: ['real-b'] }], await version(a()), false);
    await timer.allAcked(timer.expectedVersion, pool);
    const figures = await sustainedWrites(timer, pool, { apis: [a().api, b().api], seconds: 1, concurrency: 2, catchUpMs: 30_000, meshRound: 100 });
    assert.equal(figures.refused, 0, figures.firstRefusal);
    assert.ok(figures.accepted >= 2 && figures.accepted % 2 === 0, `every fault added was removed: ${figures.accepted} writes`);
    assert.ok(figures.caughtUpMs !== undefined, figures.behind);
    const mesh = await b().api.call<{ version: number }>('GET', '/v1/mesh');
    assert.ok(timer.expectedVersion >= mesh.version, 'the catch-up waited for the closing mesh apply');
    assert.equal((await b().api.call<{ faults: unknown[] }>('GET', '/v1/faults')).faults.length, 0);
  });

  it('counts refused writes with the first reason, and reports proxies that did not catch up instead of throwing', async () => {
    await b().api.call('POST', '/v1/halt');
    try {
      const timer = new WriteTimer([{ api: b().api, realIds: ['real-b', 'not-connected'] }], await version(b()), false);
      const figures = await sustainedWrites(timer, pool, { apis: [a().api, b().api], seconds: 1, concurrency: 2, catchUpMs: 500, meshRound: 101 });
      assert.equal(figures.accepted, 0);
      assert.ok(figures.refused > 0);
      assert.match(figures.firstRefusal ?? '', /answered 409.*halted/);
      assert.equal(figures.caughtUpMs, undefined);
      assert.match(figures.behind ?? '', /not-connected had not acknowledged/);
    } finally {
      await b().api.call('POST', '/v1/resume');
    }
  });
});
