import assert from 'node:assert/strict';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { GRPCDeadlineExceededError, GRPCUnavailableError } from 'etcd3';
import { etcdInstalled, startEtcd, type EtcdCluster } from '../../../bench/etcd-cluster.js';
import { unreachable } from '../../../control/store/etcd/etcd-options.js';
import { EtcdStore } from '../../../control/store/etcd/etcd-store.js';
import { waitFor } from '../../helpers/wait.js';

/**
 * A TCP relay to etcd that, once armed, holds back etcd's answers and
 * drops the connection as soon as `committed()` holds: what a member dying
 * between committing a write and answering it looks like to the client.
 */
async function startRelay(target: number, committed: () => Promise<boolean>) {
  let state: 'pass' | 'hold' | 'cutting' = 'pass';
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = createConnection({ host: '127.0.0.1', port: target });
    for (const s of [client, upstream]) (sockets.add(s), s.on('error', () => {}), s.on('close', () => sockets.delete(s)));
    client.on('data', (d) => upstream.write(d));
    upstream.on('data', (d) => {
      if (state === 'pass') return void client.write(d);
      if (state === 'cutting') return;
      state = 'cutting';
      void waitFor(committed, 'etcd committed the write').then(() => {
        state = 'pass';
        client.destroy();
        upstream.destroy();
      });
    });
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as import('node:net').AddressInfo).port,
    arm: () => (state = 'hold'),
    close: () => new Promise<void>((r) => (sockets.forEach((s) => s.destroy()), server.close(() => r()))),
  };
}

describe('the etcd store when a member takes the answer to a write with it', { skip: !etcdInstalled() && 'etcd is not installed (apt-get install etcd-server)' }, () => {
  let etcd: EtcdCluster;
  before(async () => (etcd = await startEtcd()));
  after(() => etcd?.stop());

  it('counts a create that its retry finds already made, on its own lease, as done rather than a conflict', async () => {
    const prefix = '/faultmesh/retried-write/';
    const direct = new EtcdStore({ endpoints: etcd.endpoints, prefix });
    const relay = await startRelay(etcd.members[0]!.clientPort, async () => (await direct.get('faults/f-1')) !== undefined);
    const store = new EtcdStore({ endpoints: [`127.0.0.1:${relay.port}`], prefix });
    try {
      await store.revision(); // connected through the relay
      const lease = await direct.grantLease(60_000);
      relay.arm();
      const revision = await store.put('faults/f-1', { id: 'f-1' }, { lease: lease.id, expectModRevision: 0 });
      const kv = await direct.get('faults/f-1');
      assert.equal(kv?.modRevision, revision, 'the answer is the revision of the one write');
      assert.equal(kv?.lease, lease.id);
      // Anyone else's create is still a conflict.
      await assert.rejects(store.put('faults/f-1', { id: 'f-1', other: true }, { lease: lease.id, expectModRevision: 0 }), { code: 'CONFLICT' });
    } finally {
      await store.close();
      await direct.close();
      await relay.close();
    }
  });
});

describe("the etcd client's member breaker", () => {
  const table: Array<[string, Error, boolean]> = [
    ['a refused connection', new GRPCUnavailableError('14 UNAVAILABLE: No connection established. Last error: Error: connect ECONNREFUSED 127.0.0.1:2379.'), true],
    ['a reset connection', new GRPCUnavailableError('14 UNAVAILABLE: read ECONNRESET'), true],
    ["etcd's own timeout while it elects a leader", new GRPCUnavailableError('14 UNAVAILABLE: etcdserver: request timed out'), false],
    ['a deadline', new GRPCDeadlineExceededError('4 DEADLINE_EXCEEDED: Deadline exceeded after 3.001s'), false],
  ];
  for (const [what, err, opens] of table) {
    it(`${opens ? 'counts' : 'does not count'} ${what} against the member`, () => assert.equal(unreachable(err), opens));
  }
});
