import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startCaControl, CONTROL_TOKEN, type CaControl } from '../../control/ca-api-fixture.js';
import { tempDir } from '../../helpers/mesh-fixture.js';
import { startCluster, type Cluster } from '../cluster/cluster-fixture.js';
import { sameSerial, startMtlsUpstream, type MtlsUpstream, type SeenByUpstream } from '../transport/outbound-fixture.js';

describe('faultmesh proxy --workers 2 --join-token', () => {
  let control: CaControl;
  let upstream: MtlsUpstream;
  let c: Cluster;
  let dir: ReturnType<typeof tempDir>;
  let serial = '';
  before(async () => {
    control = await startCaControl({ realClock: true });
    upstream = await startMtlsUpstream(await control.ca!.issue({ service: 'payments' }), control.ca!.trustBundlePem);
    dir = tempDir();
    const mesh = dir.file('mesh.yaml', `services:\n  payments:\n    tls: mutual\n    instances:\n      - { id: p1, address: 127.0.0.1:${upstream.port} }\n`);
    const { token } = await control.token(['orders']);
    c = await startCluster([], { source: () => ['--mesh', mesh, '--control', control.url, '--control-token', CONTROL_TOKEN, '--service', 'orders', '--join-token', token] });
    serial = /issued a certificate for service orders \(serial ([0-9a-f]+)/.exec(control.logs.join('\n'))?.[1] ?? '';
  });
  after(async () => {
    await c?.stop();
    await upstream?.close();
    await control?.stop();
    dir?.remove();
  });

  it('enrolls once, in the primary, and every worker dials out with that certificate', async () => {
    assert.match(serial, /^[0-9a-f]+$/, control.logs.join('\n'));
    assert.equal(control.logs.filter((l) => l.startsWith('issued a certificate')).length, 1, 'one certificate for the whole cluster');
    const replies = await c.calls('payments', 8, '/first');
    assert.deepEqual(replies.map((r) => r.status), Array(8).fill(200), replies.map((r) => r.text()).join('\n'));
    for (const r of replies) {
      const seen = r.json<SeenByUpstream>();
      assert.equal(seen.peer, 'orders');
      assert.ok(sameSerial(seen.serial, serial), `${seen.serial} is the enrolled ${serial}`);
    }
    assert.deepEqual(new Set((await c.logLines('/first', 8)).map((l) => l.worker)), new Set([0, 1]));
  });

  it('gives a worker that replaces a crashed one the same identity', async () => {
    const before = (await c.workersSettled()).workers.list;
    const victim = before.find((w) => w.index === 0)!;
    process.kill(victim.pid, 'SIGKILL');
    const after = (await c.workersSettled(new Set([victim.pid]))).workers.list;
    const replacement = after.find((w) => w.index === 0)!;
    assert.notEqual(replacement.pid, victim.pid);
    const replies = await c.calls('payments', 8, '/after-crash');
    assert.deepEqual(replies.map((r) => r.status), Array(8).fill(200));
    const lines = await c.logLines('/after-crash', 8);
    assert.ok(lines.some((l) => l.workerPid === replacement.pid && l.status === 200), 'the replacement served calls over mTLS');
    for (const r of replies) assert.ok(sameSerial(r.json<SeenByUpstream>().serial, serial));
  });
});
