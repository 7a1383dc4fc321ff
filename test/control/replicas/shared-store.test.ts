import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startEtcd, type EtcdCluster } from '../../../bench/etcd-cluster.js';
import { startControlPlane, type RunningControlPlane } from '../../../control/control-plane.js';
import { formatStatus } from '../../../control/status/format-status.js';
import type { Status } from '../../../control/status/status.js';
import { EtcdStore } from '../../../control/store/etcd/etcd-store.js';
import { send } from '../../helpers/http-client.js';
import { holdsFor, waitFor } from '../../helpers/wait.js';
import { openStream, type StreamClient } from '../control-fixture.js';

// Two replicas in this process on one real etcd: what a shared store adds to a single control plane.
let etcd: EtcdCluster;
let prefixes = 0;
const running: Array<{ plane: RunningControlPlane; store: EtcdStore }> = [];
const streams: StreamClient[] = [];

async function replicas(n: number, prefix = `/faultmesh/shared-${++prefixes}/`) {
  const out: Array<{ plane: RunningControlPlane; store: EtcdStore; call: (method: string, path: string, body?: unknown) => Promise<import('../../helpers/http-client.js').Reply> }> = [];
  for (let i = 0; i < n; i++) {
    const store = new EtcdStore({ endpoints: etcd.endpoints, prefix });
    const plane = await startControlPlane({ listen: { host: '127.0.0.1', port: 0 }, store, storeName: etcd.endpoints.join(',') });
    running.push({ plane, store });
    out.push({
      plane,
      store,
      call: (method, path, body) => send(plane.url, { method, path, headers: body === undefined ? {} : { 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) }),
    });
  }
  return out;
}

const health = async (r: { call: (m: string, p: string) => Promise<import('../../helpers/http-client.js').Reply> }) => (await r.call('GET', '/healthz')).json<{ version: number; startedAt: string; status: string; activeFaults: number }>();

before(async () => {
  etcd = await startEtcd();
});
after(async () => {
  for (const s of streams) s.close();
  for (const r of running.reverse()) {
    await r.plane.close();
    await r.store.close();
  }
  await etcd.stop();
});

describe('control-plane replicas on one etcd', () => {
  it('serve the same state and the same version, whichever replica took the write', async () => {
    const [a, b] = await replicas(2);
    const added = await a!.call('POST', '/v1/faults', { target: 'payments', abort: { status: 503 }, ttl: '30s' });
    assert.equal(added.status, 201, added.text());
    const id = added.json<{ id: string }>().id;
    await waitFor(async () => (await b!.call('GET', '/v1/faults')).json<{ faults: Array<{ id: string }> }>().faults.some((f) => f.id === id), 'replica B lists the fault written through A');
    const removed = await b!.call('DELETE', `/v1/faults/${id}`);
    assert.equal(removed.status, 200, removed.text());
    await waitFor(async () => (await a!.call('GET', '/v1/faults')).json<{ faults: unknown[] }>().faults.length === 0, 'replica A sees the delete made through B');
    await waitFor(async () => (await health(a!)).version === (await health(b!)).version, 'both replicas at one version');
  });

  it("number a state alike: a replica that starts on a state another already serves takes that replica's version", async () => {
    const prefix = `/faultmesh/adopt-${++prefixes}/`;
    const [a] = await replicas(1, prefix);
    const empty = (await health(a!)).version;
    assert.equal((await a!.call('POST', '/v1/faults', { target: 'payments', abort: { status: 503 }, ttl: '60s' })).status, 201);
    await waitFor(async () => (await health(a!)).version > empty, 'A built the version with the fault');
    const version = (await health(a!)).version;
    // A publishes its version beside its proxies, which moves etcd's revision past it: the revision a new replica lists at.
    await waitFor(async () => (await a!.store.list('replicas/')).items.some((kv) => (kv.value as { version?: number }).version === version), "A's version is published");
    assert.ok((await a!.store.revision()) > version, 'bookkeeping moved the revision on');
    const [b] = await replicas(1, prefix);
    assert.equal((await health(b!)).version, version);
  });

  it("keep a mesh's version still when another mesh's prefix under its own is written", async () => {
    const [parent] = await replicas(1, `/faultmesh/nest-${++prefixes}/`);
    const parentPrefix = `/faultmesh/nest-${prefixes}/`;
    const [child] = await replicas(1, `${parentPrefix}child/`);
    const before = (await health(parent!)).version;
    const added = await child!.call('POST', '/v1/faults', { target: 'payments', abort: { status: 503 }, ttl: '60s' });
    assert.equal(added.status, 201, added.text());
    await waitFor(async () => (await health(child!)).activeFaults === 1, 'the child mesh built its fault');
    // The parent's watch sees the child's keys (they are under its prefix): none of them is a change of its own.
    await holdsFor(async () => (await health(parent!)).version === before, 1_500, "the parent's version stays where it was");
    const own = await parent!.call('POST', '/v1/faults', { target: 'payments', abort: { status: 500 }, ttl: '60s' });
    assert.equal(own.status, 201, own.text());
    await waitFor(async () => (await health(parent!)).activeFaults === 1, 'the parent built its own fault');
    assert.deepEqual((await parent!.call('GET', '/v1/faults')).json<{ faults: Array<{ id: string }> }>().faults.map((f) => f.id), [own.json<{ id: string }>().id]);
  });

  it('report one epoch as startedAt, kept when a replica restarts: leases in etcd outlive any replica', async () => {
    const prefix = `/faultmesh/epoch-${++prefixes}/`;
    const [a] = await replicas(1, prefix);
    const first = (await health(a!)).startedAt;
    await waitFor(() => Date.now() > Date.parse(first) + 5, 'the clock moved');
    const [b] = await replicas(1, prefix);
    assert.equal((await health(b!)).startedAt, first);
    const [fresh] = await replicas(1);
    assert.notEqual((await health(fresh!)).startedAt, first, 'another prefix is another store, with its own epoch');
  });

  it("tells a proxy on replica B about a lease renewed through replica A, so B's proxies keep the fault past its first term", async () => {
    const [a, b] = await replicas(2);
    const lease = (await a!.call('POST', '/v1/leases', { ttl: '3s' })).json<{ id: string }>();
    const added = await a!.call('POST', '/v1/faults', { target: 'payments', abort: { status: 503 }, lease: lease.id });
    assert.equal(added.status, 201, added.text());
    const id = added.json<{ id: string }>().id;
    const stream = await openStream(b!.plane.url, { id: 'proxy-on-b', service: 'web' });
    streams.push(stream);
    await stream.next((e) => e.event === 'snapshot' && e.data.faults.some((f: { id: string }) => f.id === id));
    // Renewed through A only: B learns it from its own poll of the lease, not from any write.
    const seen = stream.events.length;
    await waitFor(async () => (await a!.call('POST', `/v1/leases/${lease.id}/renew`)).status === 200 && stream.events.slice(seen).some((e) => e.event === 'leases' && e.data.remaining[id] >= 2_000), 'a leases event on B with the renewed remainder', 20_000);
    const versionBefore = (await health(b!)).version;
    assert.ok(versionBefore > 0);
  });

  it("counts in any replica's fault listing the proxies of every replica: applied by, matched and hit", async () => {
    const [a, b] = await replicas(2);
    const added = await a!.call('POST', '/v1/faults', { target: 'payments', abort: { status: 503 }, ttl: '60s' });
    const id = added.json<{ id: string }>().id;
    const stream = await openStream(b!.plane.url, { id: 'counting-proxy', service: 'web' });
    streams.push(stream);
    const snapshot = await stream.next((e) => e.event === 'snapshot' && e.data.faults.some((f: { id: string }) => f.id === id));
    assert.equal((await b!.call('POST', '/v1/proxies/counting-proxy/ack', { version: snapshot.data.version, applied: true })).status, 200);
    assert.equal((await b!.call('POST', '/v1/proxies/counting-proxy/report', { faults: { [id]: { matched: 7, hit: 5 } }, instances: [] })).status, 200);
    await waitFor(async () => {
      const f = (await a!.call('GET', `/v1/faults/${id}`)).json<{ proxies: string[]; counts: { matched: number; hit: number } }>();
      return f.proxies.includes('counting-proxy') && f.counts.matched === 7 && f.counts.hit === 5;
    }, "A's listing counts B's proxy");
  });

  it("lists in any replica's status the proxies connected to the others, named by their replica, without a new version", async () => {
    const [a, b] = await replicas(2);
    const before = (await health(a!)).version;
    const stream = await openStream(b!.plane.url, { id: 'status-proxy', service: 'web' });
    streams.push(stream);
    await waitFor(async () => (await a!.call('GET', '/v1/status')).json<{ proxies: Array<{ id: string; replica?: string; connected: boolean }> }>().proxies.some((p) => p.id === 'status-proxy' && p.connected && p.replica === b!.plane.url), "A's status shows B's proxy", 15_000);
    assert.equal((await health(a!)).version, before, "B publishing its proxies is bookkeeping, not a version pushed to every proxy");
    const printed = formatStatus((await a!.call('GET', '/v1/status')).json<Status>());
    assert.match(printed.split('\n').find((l) => l.startsWith('status-proxy')) ?? '', new RegExp(`since .* via ${b!.plane.url}`), '`faultmesh status` says which replica');
    const own = (await b!.call('GET', '/v1/status')).json<{ proxies: Array<{ id: string; replica?: string }> }>().proxies.find((p) => p.id === 'status-proxy');
    assert.ok(own && own.replica === undefined, "B lists its own proxy without a replica");
    stream.close();
    await waitFor(async () => !(await a!.call('GET', '/v1/status')).json<{ proxies: Array<{ id: string }> }>().proxies.some((p) => p.id === 'status-proxy'), "A stops listing it once B published that it left", 15_000);
  });
});
