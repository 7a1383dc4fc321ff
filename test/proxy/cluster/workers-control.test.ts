import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { waitFor } from '../../helpers/wait.js';
import { startStandInControl, type StandInControl } from '../sources/control/stand-in-control.js';
import { startCluster, type Cluster } from './cluster-fixture.js';

describe('faultmesh proxy --workers 2 on a control plane', () => {
  let control: StandInControl;
  let c: Cluster;
  before(async () => {
    control = await startStandInControl();
    c = await startCluster([{ service: 'shop', id: 'shop-1' }], { source: () => ['--control', control.url] });
  });
  after(async () => {
    await c?.stop();
    await control?.close();
  });

  it('acknowledges a version once every worker applied it, and reports the counts summed over the workers', async () => {
    await waitFor(() => control.openStreams() === 1, 'the primary holds the one stream');
    control.push({
      version: 1,
      mesh: { text: readFileSync(c.meshFile, 'utf8'), file: 'mesh.yaml' },
      faults: [{ id: 'pushed', spec: { target: 'shop', abort: { status: 503 } }, remainingMs: 300_000 }],
    });
    await waitFor(() => control.acks.some((a) => a.version === 1), 'version 1 acknowledged');
    assert.deepEqual(control.acks.find((a) => a.version === 1), { version: 1, applied: true });
    // No wait between the ack and the calls: every worker had it when the ack went out.
    const replies = await c.calls('shop', 12, '/pushed');
    assert.deepEqual(replies.map((r) => r.status), Array(12).fill(503));
    assert.deepEqual(new Set((await c.logLines('/pushed', 12)).map((l) => l.worker)), new Set([0, 1]));
    await waitFor(() => control.reports.some((r) => r.faults.pushed?.hit === 12), 'a report with the 12 hits of both workers');
  });
});
