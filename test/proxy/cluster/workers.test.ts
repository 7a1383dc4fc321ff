import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sample, total } from '../../helpers/metrics.js';
import { waitFor } from '../../helpers/wait.js';
import { startCluster, type Cluster } from './cluster-fixture.js';

// No retries, so each call's answer is one attempt's; two failures in a row eject, for long enough to outlast the test.
const PAY_POLICY = 'policy: { retries: { attempts: 0 }, outlierDetection: { consecutive5xx: 2, baseEjectionTime: 5m, maxEjectionPercent: 50 } }';

const workersOf = (lines: readonly { worker: number }[]) => new Set(lines.map((l) => l.worker));

describe('faultmesh proxy --workers 2', () => {
  let c: Cluster;
  before(async () => {
    c = await startCluster(
      [
        { service: 'shop', id: 'shop-1' },
        { service: 'pay', id: 'pay-1' },
        { service: 'pay', id: 'pay-2' },
      ],
      { extra: { pay: PAY_POLICY } },
    );
  });
  after(() => c?.stop());

  it('serves on one address from two workers, and /healthz lists them', async () => {
    const h = await c.health();
    assert.equal(h.workers.count, 2);
    assert.equal(new Set(h.workers.list.map((w) => w.pid)).size, 2, 'two worker processes');
    assert.ok(!h.workers.list.some((w) => w.pid === c.child.pid), 'the primary serves no traffic itself');
    const replies = await c.calls('shop', 10, '/spread');
    assert.deepEqual(replies.map((r) => r.status), Array(10).fill(200));
    assert.deepEqual(workersOf(await c.logLines('/spread', 10)), new Set([0, 1]), 'both workers served calls');
  });

  it('applies a fault added once on every worker before the admin API answers', async () => {
    const added = await c.admin('POST', '/v1/faults', { id: 'everywhere', target: 'shop', abort: { status: 503 }, ttl: '5m' });
    assert.equal(added.status, 201, added.text());
    const replies = await c.calls('shop', 20, '/faulted');
    assert.deepEqual(replies.map((r) => r.status), Array(20).fill(503), 'every call, whichever worker took it');
    assert.ok(replies.every((r) => r.headers['x-faultmesh-fault'] !== undefined), 'marked as injected');
    assert.deepEqual(workersOf(await c.logLines('/faulted', 20)), new Set([0, 1]));
    const rule = (await c.admin('GET', '/v1/faults/everywhere')).json<{ counts: { matched: number; hit: number } }>();
    assert.deepEqual(rule.counts, { matched: 20, hit: 20, active: 0 }, 'the counts are summed over the workers');
    assert.equal((await c.admin('DELETE', '/v1/faults/everywhere')).status, 200);
    assert.deepEqual((await c.calls('shop', 6, '/removed')).map((r) => r.status), Array(6).fill(200), 'and removed on every worker');
  });

  it('halts every worker', async () => {
    assert.equal((await c.admin('POST', '/v1/faults', { id: 'before-halt', target: 'shop', abort: { status: 500 }, ttl: '5m' })).status, 201);
    const halt = await c.admin('POST', '/v1/halt');
    assert.deepEqual(halt.json(), { halted: true, removed: 1 });
    const replies = await c.calls('shop', 20, '/halted');
    assert.deepEqual(replies.map((r) => r.status), Array(20).fill(200));
    assert.deepEqual(workersOf(await c.logLines('/halted', 20)), new Set([0, 1]));
    assert.equal((await c.health()).halted, true);
    assert.equal((await c.admin('POST', '/v1/faults', { target: 'shop', abort: { status: 500 }, ttl: '5m' })).status, 409, 'refused while halted');
    assert.equal((await c.admin('POST', '/v1/resume')).status, 200);
  });

  it('sums the requests counter of /metrics over the workers', async () => {
    const before = total((await c.admin('GET', '/metrics')).text(), 'faultmesh_requests_total', { destination: 'shop' });
    await c.calls('shop', 30, '/counted');
    assert.deepEqual(workersOf(await c.logLines('/counted', 30)), new Set([0, 1]));
    const metrics = (await c.admin('GET', '/metrics')).text();
    assert.equal(total(metrics, 'faultmesh_requests_total', { destination: 'shop' }) - before, 30);
    assert.equal(/^faultmesh_requests_in_flight (\S+)$/m.exec(metrics)?.[1], '0', 'nothing in flight on any worker');
  });

  it('replaces a worker that crashes, and the replacement has the faults in force before it serves', async () => {
    assert.equal((await c.admin('POST', '/v1/faults', { id: 'survives', target: 'shop', abort: { status: 418 }, ttl: '5m' })).status, 201);
    const victim = (await c.health()).workers.list.find((w) => w.index === 0)!;
    const counted = total((await c.admin('GET', '/metrics')).text(), 'faultmesh_requests_total', { destination: 'shop' });
    process.kill(victim.pid, 'SIGKILL');
    const h = await c.workersSettled(new Set([victim.pid]));
    const replacement = h.workers.list.find((w) => w.index === 0)!;
    assert.notEqual(replacement.pid, victim.pid);
    assert.match(c.stderr(), new RegExp(`worker 0 \\(pid ${victim.pid}\\) exited with signal SIGKILL; starting a replacement`));
    const replies = await c.calls('shop', 20, '/after-crash');
    assert.deepEqual(replies.map((r) => r.status), Array(20).fill(418));
    const lines = await c.logLines('/after-crash', 20);
    assert.ok(lines.some((l) => l.workerPid === replacement.pid), 'the replacement served some of them');
    // The dead worker's counts stay in the sums: a summed counter that fell back would read as a reset to Prometheus.
    assert.equal(total((await c.admin('GET', '/metrics')).text(), 'faultmesh_requests_total', { destination: 'shop' }), counted + 20);
    assert.equal((await c.admin('DELETE', '/v1/faults/survives')).status, 200);
  });

  it('ejects an instance on every worker once one worker ejects it', async () => {
    const pay1 = c.upstreams.get('pay-1')!;
    pay1.behave({ status: 500 });
    const ejected = async () => {
      const services = (await c.admin('GET', '/v1/services')).json<{ services: Array<{ name: string; instances: Array<{ id: string; health: string }> }> }>();
      return services.services.find((s) => s.name === 'pay')!.instances.find((i) => i.id === 'pay-1')!.health === 'ejected';
    };
    // One call at a time: the first worker to see two failures of pay-1 in a row ejects it, the other has seen at most one.
    await waitFor(async () => {
      await c.calls('pay', 1, '/eject');
      return ejected();
    }, 'a worker ejected pay-1');
    // A write is answered once every worker applied it, and each worker's channel is ordered: the ejection reached them first.
    assert.equal((await c.admin('POST', '/v1/faults', { id: 'barrier', target: 'pay', match: { headers: { 'x-never': 'sent' } }, abort: { status: 500 }, ttl: '5m' })).status, 201);
    const sentBefore = pay1.received();
    const replies = await c.calls('pay', 20, '/ejected');
    assert.deepEqual(replies.map((r) => r.status), Array(20).fill(200));
    assert.deepEqual(workersOf(await c.logLines('/ejected', 20)), new Set([0, 1]), 'both workers served the calls');
    assert.equal(pay1.received(), sentBefore, 'no worker sent pay-1 another call');
    const metrics = (await c.admin('GET', '/metrics')).text();
    assert.equal(sample(metrics, 'faultmesh_instance_ejected', { destination: 'pay', instance: 'pay-1' }), 1, 'ejected, not counted once per worker');
  });
});
