import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { benchMeshText, ControlApi, writeOf } from '../../../bench/control/control-api.js';
import { Watcher } from '../../../bench/control/watcher.js';
import { WatcherPool } from '../../../bench/control/watcher-pool.js';
import { WriteTimer } from '../../../bench/control/write-timer.js';
import { startTestControl, type TestControl } from '../../control/control-fixture.js';
import { waitFor } from '../../helpers/wait.js';

const TOKEN = 'bench-watchers-token';

interface StatusView {
  version: number;
  proxies: Array<{ id: string; connected: boolean; applied: number; lastReportAt?: string }>;
}

describe("the control bench's light watchers", () => {
  let control: TestControl;
  const status = async () => (await control.call('GET', '/v1/status')).json<StatusView>();
  before(async () => {
    control = await startTestControl({ token: TOKEN });
  });
  after(() => control.stop());

  it('speak the proxies\' protocol: the control plane records each snapshot they ack and each report they send', async () => {
    const watcher = new Watcher({ origin: control.url, id: 'w-1', token: TOKEN, onAck: () => {} });
    try {
      await watcher.start();
      const first = watcher.acks[0]!;
      assert.equal(first.version, (await status()).version);
      const put = await control.call('PUT', '/v1/mesh', { text: 'services:\n  bench: {}\n' });
      assert.equal(put.status, 200, put.text());
      const version = put.json<{ version: number }>().version;
      await waitFor(() => watcher.ackFor(version) !== undefined, 'the watcher acked the new mesh');
      const ack = watcher.ackFor(version)!;
      assert.ok(ack.ackedUs >= ack.receivedUs, 'an ack is answered after its snapshot arrived');
      await waitFor(async () => (await status()).proxies.some((p) => p.id === 'w-1' && p.applied === version), 'status shows the ack');
      watcher.report(50);
      await waitFor(() => watcher.reports > 0, 'a report was answered 200');
      assert.ok((await status()).proxies.find((p) => p.id === 'w-1')?.lastReportAt, 'status shows the report');
      assert.equal(watcher.errors, 0);
    } finally {
      await watcher.close();
    }
    await waitFor(async () => (await status()).proxies.find((p) => p.id === 'w-1')?.connected === false, 'the control plane saw the watcher leave');
  });

  it('time a write to every ack across worker processes, and end their workers on close', async () => {
    const pool = await WatcherPool.start(control.url, TOKEN, 6, 2);
    const api = new ControlApi(control.url, TOKEN);
    try {
      assert.equal((await status()).proxies.filter((p) => p.connected && p.id.startsWith('watcher-')).length, 6);
      const timer = new WriteTimer([{ api, realIds: [] }], (await status()).version);
      const sample = await timer.time('mesh apply', () => api.call('PUT', '/v1/mesh', { text: 'services:\n  bench: { policy: { timeout: 2s } }\n' }), pool);
      assert.equal((await status()).version, timer.expectedVersion, 'one write is one version');
      assert.ok(sample.replyMs > 0 && sample.receivedMs >= 0 && sample.ackedMs >= sample.receivedMs, JSON.stringify(sample));
      const acked = (await status()).proxies.filter((p) => p.id.startsWith('watcher-') && p.applied === timer.expectedVersion);
      assert.equal(acked.length, 6, 'every watcher had acked when the timer returned');
    } finally {
      await api.close();
      await pool.close();
    }
    assert.ok(pool.pids.every((pid) => !alive(pid)), 'no worker outlives close()');
  });

  it('apply a new mesh text in every round, the first included, so that each write is one version', async () => {
    const api = new ControlApi(control.url, TOKEN);
    try {
      await api.call('PUT', '/v1/mesh', { text: benchMeshText(0), file: 'bench-mesh.yaml' });
      for (const round of [0, 1]) {
        const before = (await status()).version;
        await writeOf(api, 'mesh apply', round)();
        assert.equal((await status()).version, before + 1, `round ${round}'s mesh apply is a new version`);
      }
    } finally {
      await api.close();
    }
  });
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
