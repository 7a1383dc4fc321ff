import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, describe, it } from 'node:test';
import { runCli } from '../../helpers/cli.js';
import { send } from '../../helpers/http-client.js';
import { tempDir } from '../../helpers/mesh-fixture.js';
import { waitFor } from '../../helpers/wait.js';
import { startCluster } from './cluster-fixture.js';
import { isAlive } from '../../helpers/processes.js';

const alive = isAlive;

describe('faultmesh proxy --workers: flags and process lifetime', () => {
  const dir = tempDir();
  after(() => dir.remove());
  const mesh = dir.file('mesh.yaml', 'services:\n  shop:\n    instances:\n      - { id: shop-1, address: 127.0.0.1:1 }\n');

  for (const bad of ['0', 'two', '1.5', '65']) {
    it(`refuses --workers "${bad}", naming the flag`, async () => {
      const run = await runCli(['proxy', '--mesh', mesh, '--workers', bad, '--check']);
      assert.equal(run.code, 2, run.stderr);
      assert.match(run.stderr, new RegExp(`^faultmesh: --workers: "${bad}" is not a number of workers: 1 to 64, or auto \\(one per core\\)$`, 'm'));
    });
  }

  it('takes --workers auto', async () => {
    const run = await runCli(['proxy', '--mesh', mesh, '--workers', 'auto', '--check']);
    assert.equal(run.code, 0, run.stderr);
  });

  it('drains every worker on SIGTERM: a call in flight finishes, then the primary exits 0', async () => {
    const c = await startCluster([{ service: 'shop', id: 'shop-1' }]);
    try {
      const slow = send(c.proxyUrl, { path: '/?delay=700', headers: { host: 'shop' } });
      await waitFor(() => c.upstreams.get('shop-1')!.received() === 1, 'the slow call reached the upstream');
      const exited = once(c.child, 'exit');
      c.child.kill('SIGTERM');
      assert.equal((await slow).status, 200);
      const [code] = (await exited) as [number];
      assert.equal(code, 0, c.stderr());
      assert.match(c.stderr(), /faultmesh: stopped cleanly/);
    } finally {
      await c.stop();
    }
  });

  it('answers a change 503 naming the worker that did not apply it within 5 s, and the worker catches up', async () => {
    const c = await startCluster([{ service: 'shop', id: 'shop-1' }]);
    const stuck = (await c.health()).workers.list.find((w) => w.index === 1)!;
    try {
      process.kill(stuck.pid, 'SIGSTOP');
      const added = await c.admin('POST', '/v1/faults', { id: 'late', target: 'shop', abort: { status: 503 }, ttl: '5m' });
      assert.equal(added.status, 503);
      const body = added.json<{ code: string; message: string }>();
      assert.equal(body.code, 'WORKERS_NOT_APPLIED');
      assert.match(body.message, new RegExp(`^worker 1 \\(pid ${stuck.pid}\\) did not apply version \\d+ within 5s`));
      assert.equal((await c.admin('GET', '/v1/faults/late')).status, 200, 'in force on the primary all the same');
      process.kill(stuck.pid, 'SIGCONT');
      const h = await c.workersSettled();
      assert.ok(h.workers.list.some((w) => w.pid === stuck.pid), 'the same worker, caught up');
    } finally {
      process.kill(stuck.pid, 'SIGCONT');
      await c.stop();
    }
  });

  it('takes its workers down with it when the primary is killed', async () => {
    const c = await startCluster([{ service: 'shop', id: 'shop-1' }]);
    try {
      const pids = (await c.health()).workers.list.map((w) => w.pid);
      assert.equal(pids.length, 2);
      const exited = once(c.child, 'exit');
      c.child.kill('SIGKILL');
      await exited;
      await waitFor(() => pids.every((pid) => !alive(pid)), 'both workers exited once their channel to the primary closed');
    } finally {
      await c.stop();
    }
  });
});
