import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CanaryJournal } from '../../../runner/canary/canary-types.js';
import { Fleet, type FleetChild } from '../../helpers/control-fleet.js';
import { send } from '../../helpers/http-client.js';
import { tempDir } from '../../helpers/mesh-fixture.js';
import { waitFor } from '../../helpers/wait.js';
import { meshText, startVersion, type Version } from './canary-fixture.js';

const journalOf = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as CanaryJournal;

/** Without a control plane: the weights go to each proxy's admin API, under a ttl the canary renews. */
describe('faultmesh canary run --admin (no control plane)', () => {
  const fleet = new Fleet();
  const dir = tempDir();
  let v1: Version;
  let v2: Version;
  let proxy: FleetChild;
  const env = { FAULTMESH_STATE_DIR: join(dir.path, 'state') };
  const file = (name: string, steps = '[20, 50]') =>
    dir.file(`${name}.yaml`, `name: ${name}\nservice: shop\nstable: { version: v1 }\ncanary: { version: v2 }\nsteps: ${steps}\ninterval: 1500ms\nminRequests: 40\nfailedChecks: 1\nload: { proxy: ${proxy.url}, rate: 150, paths: [/buy] }\nanalysis:\n  errorRatio: { maxIncrease: 0.02 }\n`);
  const overrides = async () => (await send(proxy.adminUrl!, { path: '/v1/overrides' })).json<{ overrides: unknown[] }>().overrides;

  before(async () => {
    v1 = await startVersion('v1');
    v2 = await startVersion('v2');
    proxy = await fleet.proxy(['--mesh', dir.file('mesh.yaml', meshText(v1, v2)), '--service', 'caller']);
  });
  after(async () => {
    await fleet.stopAll();
    await Promise.all([v1?.close(), v2?.close()]);
    dir.remove();
  });

  it('rolls a bad canary back on the proxy itself', async () => {
    v2.behave({ errorEvery: 4 });
    const journal = join(dir.path, 'bad.json');
    const r = await fleet.exec(['canary', 'run', file('bad'), '--admin', proxy.adminUrl!, '--journal', journal, '--sample', '300ms', '--lease', '3s'], env);
    assert.equal(r.code, 1, r.stderr);
    const j = journalOf(journal);
    assert.deepEqual(j.via, { admins: [proxy.adminUrl] });
    assert.match(j.decision!.sentence, /^Rolled back at 20%: .*error ratio/);
    assert.deepEqual(await overrides(), []);
  });

  it('a promotion nobody makes permanent ends with traffic back on stable and exit 3, saying so', async () => {
    v2.behave({});
    const journal = join(dir.path, 'unkept.json');
    const r = await fleet.exec(['canary', 'run', file('unkept', '[50]'), '--admin', proxy.adminUrl!, '--journal', journal, '--sample', '300ms', '--lease', '3s', '--hold', '1s'], env);
    assert.equal(r.code, 3, r.stderr);
    const j = journalOf(journal);
    assert.equal(j.status, 'aborted');
    assert.match(j.decision!.sentence, /^Promoted, but not made permanent .*traffic is back on the mesh's weights/);
    assert.match(j.promotion!.note, /mesh file .* reload each proxy \(SIGHUP\)/);
    assert.deepEqual(await overrides(), []);
    await waitFor(async () => (await send(proxy.url, { path: '/buy', headers: { host: 'shop' } })).headers['x-version'] === 'v1', 'traffic is back on v1');
  });

  it('refuses --promote-apply without a control plane, before touching anything (exit 2)', async () => {
    const r = await fleet.exec(['canary', 'run', file('apply'), '--admin', proxy.adminUrl!, '--promote-apply'], env);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--promote-apply needs a control plane/);
    assert.deepEqual(await overrides(), []);
  });

  it('refuses a canary the mesh cannot run, naming what to change (exit 2)', async () => {
    const wrong = dir.file('wrong.yaml', readFileSync(file('wrong'), 'utf8').replace('canary: { version: v2 }', 'canary: { version: v3 }'));
    const r = await fleet.exec(['canary', 'run', wrong, '--admin', proxy.adminUrl!], env);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /none is the canary subset \{version: v3\}; add it with weight 0; nothing was changed/);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  });
});
