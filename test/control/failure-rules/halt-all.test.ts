import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { EchoUpstream } from '../../../demo/echo-upstream.js';
import { addFault, applyMesh, call, Fleet, faultIdsOn, healthOf, waitInSync, type FleetChild } from '../../helpers/control-fleet.js';
import { meshYaml, startUpstreams, type InstanceSpec } from '../../helpers/mesh-fixture.js';
import { waitFor } from '../../helpers/wait.js';

const specs: InstanceSpec[] = [{ service: 'payments', id: 'pay-1' }];
const rule = (id: string) => ({ id, target: 'payments', match: { paths: ['/never'] }, abort: { status: 503 }, ttl: '60s' });

describe('failure rule: halt-all', () => {
  const fleet = new Fleet();
  let upstreams: Map<string, EchoUpstream>;
  let control: FleetChild;
  let proxies: FleetChild[];
  const startProxy = (id: string) => fleet.proxy(['--control', control.url, '--service', 'web', '--id', id], id);

  before(async () => {
    upstreams = await startUpstreams(specs);
    control = await fleet.control(['--listen', '127.0.0.1:0']);
    await applyMesh(control.url, meshYaml(specs, upstreams));
    proxies = await Promise.all(['web-a', 'web-b'].map(startProxy));
    await waitInSync(control.url, proxies);
  });
  after(async () => {
    await fleet.stopAll();
    for (const u of upstreams?.values() ?? []) await u.close();
  });

  it('halts every connected proxy with one call, refuses faults until resume, and a proxy that connects meanwhile starts halted', async () => {
    await addFault(control.url, rule('before-halt'));
    await waitFor(async () => (await Promise.all(proxies.map(faultIdsOn))).every((ids) => ids.includes('before-halt')), 'the fault is on every proxy');

    const halt = await call(control.url, 'POST', '/v1/halt');
    assert.equal(halt.status, 200, halt.text());
    await waitFor(async () => (await Promise.all(proxies.map(healthOf))).every((h) => h.halted), 'every proxy is halted');
    for (const p of proxies) assert.deepEqual(await faultIdsOn(p), [], `${p.name} dropped its faults`);
    const refused = await call(control.url, 'POST', '/v1/faults', rule('during-halt'));
    assert.equal(refused.status, 409);
    assert.equal(refused.json().code, 'FAULTS_HALTED');

    const late = await startProxy('web-late');
    // Halted from its first snapshot on: there is no moment where it runs unhalted.
    await waitFor(async () => (await healthOf(late)).control.version > 0, 'the late proxy applied its first snapshot');
    assert.equal((await healthOf(late)).halted, true, 'a proxy that connects during the halt starts halted');

    const resume = await call(control.url, 'POST', '/v1/resume');
    assert.equal(resume.status, 200, resume.text());
    const all = [...proxies, late];
    await waitFor(async () => (await Promise.all(all.map(healthOf))).every((h) => !h.halted), 'every proxy resumed');
    await addFault(control.url, rule('after-resume'));
    await waitFor(async () => (await Promise.all(all.map(faultIdsOn))).every((ids) => ids.join() === 'after-resume'), 'a fault after resume reaches every proxy, the late one too');
  });
});
