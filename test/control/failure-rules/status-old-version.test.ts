import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { EchoUpstream } from '../../../demo/echo-upstream.js';
import { addFault, applyMesh, call, Fleet, waitInSync, type FleetChild } from '../../helpers/control-fleet.js';
import { meshYaml, startUpstreams, type InstanceSpec } from '../../helpers/mesh-fixture.js';
import { waitFor } from '../../helpers/wait.js';
import { openStream, type StreamClient } from '../control-fixture.js';

const specs: InstanceSpec[] = [{ service: 'payments', id: 'pay-1' }];

describe('failure rule: status flags a proxy held on an old version', () => {
  const fleet = new Fleet();
  let upstreams: Map<string, EchoUpstream>;
  let control: FleetChild;
  let proxy: FleetChild;
  const standIns: StreamClient[] = [];
  const ack = (id: string, body: unknown) => call(control.url, 'POST', `/v1/proxies/${id}/ack`, body);

  before(async () => {
    upstreams = await startUpstreams(specs);
    control = await fleet.control(['--listen', '127.0.0.1:0']);
    await applyMesh(control.url, meshYaml(specs, upstreams));
    proxy = await fleet.proxy(['--control', control.url, '--service', 'web', '--id', 'web-real'], 'web-real');
    await waitInSync(control.url, [proxy]);
  });
  after(async () => {
    for (const s of standIns) s.close();
    await fleet.stopAll();
    for (const u of upstreams?.values() ?? []) await u.close();
  });

  it('names, in the first line of faultmesh status, a watcher that stopped acking and one that rejected, and not the proxy in sync', async () => {
    // Stand-ins that speak the protocol: both ack the version they connect on, then one goes silent and one refuses.
    for (const id of ['web-stuck', 'web-picky']) {
      const stream = await openStream(control.url, { id, service: 'web' });
      standIns.push(stream);
      const first = await stream.next((e) => e.event === 'snapshot');
      assert.equal((await ack(id, { version: first.data.version, applied: true })).status, 200);
    }
    const old = Number(standIns[0]!.snapshots()[0]!.id);
    await addFault(control.url, { id: 'f1', target: 'payments', match: { paths: ['/never'] }, abort: { status: 503 }, ttl: '60s' });
    const picky = await standIns[1]!.next((e) => e.event === 'snapshot' && Number(e.id) > old);
    const version = Number(picky.id);
    assert.equal((await ack('web-picky', { version, applied: false, reason: 'services.payments: this proxy validates differently' })).status, 200);
    await waitInSync(control.url, [proxy]);

    // Past the 3 s grace, a push still on its way has become a proxy held back.
    let summary = '';
    const flagged = waitFor(async () => (summary = (await call(control.url, 'GET', '/v1/status')).json<{ summary: string }>().summary).startsWith('3 discrepancies'), 'the status summary flags both stand-ins');
    await flagged.catch(() => assert.fail(`the summary does not flag both stand-ins: ${summary}`));
    const r = await fleet.exec(['status', '--control', control.url]);
    assert.equal(r.code, 3, `discrepancies exit 3: ${r.stderr}`);
    const first = r.stdout.split('\n')[0]!;
    assert.match(
      first,
      new RegExp(`^3 discrepancies \\(version ${version}\\): web-stuck on version ${old}, \\d+s behind version ${version}; web-picky rejected version ${version}: services\\.payments: this proxy validates differently; fault f1 not applied on web-stuck, web-picky$`),
    );
    assert.doesNotMatch(first, /web-real/, 'the proxy in sync is not flagged');

    const json = JSON.parse((await fleet.exec(['status', '--json', '--control', control.url])).stdout) as { proxies: Array<{ id: string; applied: number; behindBy: number }> };
    const byId = Object.fromEntries(json.proxies.map((p) => [p.id, [p.applied, p.behindBy]]));
    assert.deepEqual(byId, { 'web-real': [version, 0], 'web-stuck': [old, version - old], 'web-picky': [old, version - old] });
  });
});
