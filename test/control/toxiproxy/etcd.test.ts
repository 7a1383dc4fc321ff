import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { etcdInstalled, startEtcd, type EtcdCluster } from '../../../bench/etcd-cluster.js';
import { startControlPlane, type RunningControlPlane } from '../../../control/control-plane.js';
import { EtcdStore } from '../../../control/store/etcd/etcd-store.js';
import { realTimers } from '../../../proxy/core/timers.js';
import { ApiFixture, type Api } from '../../toxiproxy/api/api-fixture.js';
import { waitFor } from '../../helpers/wait.js';

// The same set on etcd: two control-plane replicas on one etcd, a toxiproxy server on each.
describe('toxiproxy servers on two control-plane replicas of one etcd', { skip: !etcdInstalled() && 'etcd is not installed (apt-get install etcd-server)' }, () => {
  const f = new ApiFixture();
  let etcd: EtcdCluster;
  const planes: Array<{ plane: RunningControlPlane; store: EtcdStore }> = [];
  let a: Api;
  let b: Api;
  let upstream: string;
  before(async () => {
    etcd = await startEtcd();
    for (let i = 0; i < 2; i++) {
      const store = new EtcdStore({ endpoints: etcd.endpoints, prefix: '/faultmesh/toxiproxy-test/' });
      planes.push({ plane: await startControlPlane({ listen: { host: '127.0.0.1', port: 0 }, store, storeName: etcd.endpoints.join(','), log: () => {} }), store });
    }
    const server = (i: number) => f.start({ control: { urls: [planes[i]!.plane.url], retryTimers: realTimers, pollWaitMs: 5_000 }, log: () => {} });
    a = (await server(0)).api;
    b = (await server(1)).api;
    upstream = (await f.echo()).address;
  });
  after(async () => {
    await f.close();
    for (const p of planes) {
      await p.plane.close();
      await p.store.close();
    }
    await etcd?.stop();
  });

  const toxicsOn = async (api: Api) => {
    const r = await api.get('/proxies/db/toxics');
    return r.status === 200 ? r.json<unknown[]>().length : -1;
  };

  it('shares proxies across replicas, with exactly one 201 for concurrent creates of one name', async () => {
    const replies = await Promise.all(Array.from({ length: 6 }, (_, i) => (i % 2 ? a : b).post('/proxies', { name: 'db', upstream })));
    assert.deepEqual(replies.map((r) => r.status).sort(), [201, 409, 409, 409, 409, 409]);
    await waitFor(async () => (await a.get('/proxies/db')).status === 200 && (await b.get('/proxies/db')).status === 200, 'both servers have the proxy');
  });

  it('ends a toxic with a ttl on both, at the etcd lease', async () => {
    const added = await a.post('/proxies/db/toxics', { type: 'latency', ttl: '2s' });
    assert.equal(added.status, 200, added.text());
    await waitFor(async () => (await toxicsOn(b)) === 1, 'B has the toxic made through the other replica');
    await waitFor(async () => (await toxicsOn(a)) === 0 && (await toxicsOn(b)) === 0, 'the toxic ended on both');
    const set = (await a.get('/proxies/db')).json<{ toxics: unknown[] }>();
    assert.deepEqual(set.toxics, []);
  });
});
