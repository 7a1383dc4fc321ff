import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { EchoUpstream } from '../../../demo/echo-upstream.js';
import type { Journal } from '../../../runner/journal.js';
import { applyMesh, call, Fleet, faultIdsOn, healthOf, waitInSync, type FleetChild } from '../../helpers/control-fleet.js';
import { send } from '../../helpers/http-client.js';
import { meshYaml, startUpstreams, tempDir, type InstanceSpec } from '../../helpers/mesh-fixture.js';
import { waitFor } from '../../helpers/wait.js';

const specs: InstanceSpec[] = [
  { service: 'payments', id: 'pay-1' },
  { service: 'ledger', id: 'ledger-1' },
];

describe('failure rule: a proxy is killed and restarted mid-experiment', () => {
  const fleet = new Fleet();
  const dir = tempDir();
  let upstreams: Map<string, EchoUpstream>;
  let control: FleetChild;
  let proxyA: FleetChild;
  let proxyB: FleetChild;
  const startB = (name: string) => fleet.proxy(['--control', control.url, '--service', 'checkout', '--id', 'checkout-b'], name);

  before(async () => {
    upstreams = await startUpstreams(specs);
    control = await fleet.control(['--listen', '127.0.0.1:0']);
    await applyMesh(control.url, meshYaml(specs, upstreams));
    [proxyA, proxyB] = await Promise.all([fleet.proxy(['--control', control.url, '--service', 'checkout', '--id', 'checkout-a'], 'checkout-a'), startB('checkout-b')]);
    await waitInSync(control.url, [proxyA, proxyB]);
  });
  after(async () => {
    await fleet.stopAll();
    for (const u of upstreams?.values() ?? []) await u.close();
    dir.remove();
  });

  it('gives the restarted proxy its fault back with its first snapshot, and the run on the control plane completes', async (t) => {
    const experiment = dir.file(
      'restart.yaml',
      `title: ledger 503s while checkout's sidecar restarts
configuration:
  control: ${control.url}
  proxy: ${proxyA.url}
steady-state-hypothesis:
  title: payments answer
  probes:
    - { type: probe, name: payments-ok, tolerance: 200, provider: { type: http, url: "\${proxy}/", headers: { host: payments }, timeout: 5 } }
method:
  - { type: action, name: ledger-503, provider: { type: fault, rule: { target: ledger, abort: { status: 503 } }, duration: 20s } }
`,
    );
    const journalPath = `${dir.path}/journal.json`;
    const run = fleet.exec(['run', experiment, '--journal', journalPath, '--fault-lease', '2s']);

    let faultId = '';
    await waitFor(async () => {
      const { faults } = (await call(control.url, 'GET', '/v1/faults')).json<{ faults: Array<{ id: string; proxies: string[] }> }>();
      faultId = faults[0]?.id ?? '';
      return faults.length === 1 && ['checkout-a', 'checkout-b'].every((id) => faults[0]!.proxies.includes(id));
    }, 'the run\'s fault is applied on both proxies');

    await fleet.kill(proxyB);
    proxyB = await startB('checkout-b (restarted)');
    await proxyB.line(/connected to the control plane/);
    const connectedAt = performance.now();
    // The first version this process applies already holds the fault: the snapshot on connect carries every fault in force.
    await waitFor(async () => (await healthOf(proxyB)).control.version > 0, 'the restarted proxy applied its first snapshot');
    const heldAfterMs = performance.now() - connectedAt;
    assert.deepEqual(await faultIdsOn(proxyB), [faultId], 'the restarted proxy holds the run\'s fault');
    const r = await send(proxyB.url, { path: '/', headers: { host: 'ledger' } });
    assert.equal(r.status, 503);
    assert.equal(r.headers['x-faultmesh-fault'], faultId);
    t.diagnostic(`fault back on the restarted proxy ${Math.round(heldAfterMs)}ms after it connected`);

    const done = await run;
    const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as Journal;
    assert.equal(done.code, 0, done.stderr);
    assert.equal(journal.status, 'completed', JSON.stringify({ stoppedBy: journal.stoppedBy, faults: journal.faults }));
    assert.equal(journal.deviated, false);
    assert.equal(journal.faults[0]!.state, 'removed', 'the ledger held the fault to its end: the control plane did not restart');
    assert.deepEqual(await faultIdsOn(proxyB), [], 'and removed it everywhere at the end');
  });
});
