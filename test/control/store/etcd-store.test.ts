import { after, before } from 'node:test';
import { EtcdStore } from '../../../control/store/etcd/etcd-store.js';
import { startEtcd, type EtcdCluster } from '../../../bench/etcd-cluster.js';
import { storeContract } from './store-contract.js';

// One etcd for the file; each test gets its own prefix, so the revision moves only by that test's writes (tests in a file run one at a time).
let etcd: EtcdCluster;
let count = 0;
before(async () => {
  etcd = await startEtcd();
});
after(() => etcd.stop());

storeContract(
  'etcd',
  async () => {
    const store = new EtcdStore({ endpoints: etcd.endpoints, prefix: `/faultmesh/contract-${++count}/` });
    return { store, advance: (ms) => new Promise((r) => setTimeout(r, ms)), compact: (revision) => store.compact(revision) };
  },
  { ttlMs: 2_000, ttlGranularityMs: 1_000 },
);
