import assert from 'node:assert/strict';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CanaryJournal } from '../../../runner/canary/canary-types.js';
import { send } from '../../helpers/http-client.js';
import { waitFor } from '../../helpers/wait.js';
import { startCanaryMesh, type CanaryMesh } from './canary-fixture.js';

const journalOf = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as CanaryJournal;

/** Real processes: a control plane, a proxy, two versions of "shop", and `faultmesh canary run` as a child. */
describe('faultmesh canary run', () => {
  let mesh: CanaryMesh;
  before(async () => {
    mesh = await startCanaryMesh();
  });
  after(async () => {
    await mesh?.stop();
  });

  it('rolls a canary that fails more often than stable back, naming the metric, and the route ends on stable', async () => {
    mesh.v2.behave({ errorEvery: 5 });
    const journal = join(mesh.dir.path, 'bad.json');
    const report = join(mesh.dir.path, 'bad.html');
    const r = await mesh.fleet.exec(['canary', 'run', mesh.canaryFile('bad'), '--journal', journal, '--report', report, '--sample', '300ms', '--lease', '3s'], mesh.env);
    assert.equal(r.code, 1, r.stderr);
    const j = journalOf(journal);
    assert.ok(readFileSync(report, 'utf8').includes('Rolled back at 20%'), 'the report leads with the decision');
    assert.equal(j.status, 'rolled-back');
    assert.match(j.decision!.sentence, /^Rolled back at 20%: .*error ratio/);
    assert.match(r.stdout, /Rolled back at 20%/);
    const failed = j.judgements.find((x) => x.outcome === 'fail')!;
    const check = failed.checks.find((c) => c.metric === 'error-ratio')!;
    assert.equal(check.outcome, 'fail');
    assert.ok(check.metric === 'error-ratio' && check.canary.requests >= 40 && check.stable.requests >= 40, JSON.stringify(check));
    assert.deepEqual(await mesh.overrides(), []);
    assert.deepEqual(j.weights.map((w) => w.weight), [20]);
  });

  it('promotes a canary as good as stable and, with --promote-apply, makes it the mesh', async () => {
    mesh.v2.behave({});
    const journal = join(mesh.dir.path, 'good.json');
    const r = await mesh.fleet.exec(['canary', 'run', mesh.canaryFile('good'), '--journal', journal, '--sample', '300ms', '--lease', '3s', '--promote-apply'], mesh.env);
    assert.equal(r.code, 0, r.stderr);
    const j = journalOf(journal);
    assert.equal(j.status, 'promoted');
    assert.match(j.decision!.sentence, /^Promoted: every step up to 50% passed/);
    assert.equal(j.promotion?.applied, true);
    assert.deepEqual(j.weights.map((w) => w.weight), [20, 50, 100]);
    const meshNow = (await send(mesh.control.url, { path: '/v1/mesh' })).json<{ text: string }>().text;
    assert.match(meshNow, /version: v1 \}, weight: 0 \}/);
    assert.match(meshNow, /version: v2 \}, weight: 100 \}/);
    assert.deepEqual(await mesh.overrides(), []);
    // Traffic is the canary's now, from the mesh itself.
    await waitFor(async () => (await send(mesh.proxy.url, { path: '/buy', headers: { host: 'shop' } })).headers['x-version'] === 'v2', 'the proxy sends shop to v2');
  });

  it('without --promote-apply holds 100% under the lease, prints the mesh apply command, and ends promoted once it is run', async () => {
    await mesh.resetMesh();
    mesh.v2.behave({});
    const journal = join(mesh.dir.path, 'held.json');
    const child = mesh.fleet.launch(['canary', 'run', mesh.canaryFile('held', { steps: '[50]' }), '--journal', journal, '--sample', '300ms', '--lease', '3s', '--hold', '2m'], 'canary', mesh.env);
    const exited = once(child.proc, 'exit');
    const line = await child.line(/To make it permanent, run: (faultmesh mesh apply .*)$/, 60_000);
    const command = /run: faultmesh (mesh apply .*)$/.exec(line)![1]!.split(' ');
    assert.ok(command.includes('--expect-version'), line);
    // Held at 100% to the canary by the override, before the mesh changes.
    await waitFor(async () => (await send(mesh.proxy.url, { path: '/buy', headers: { host: 'shop' } })).headers['x-version'] === 'v2', 'the canary takes the traffic');
    const applied = await mesh.fleet.exec(command, mesh.env);
    assert.equal(applied.code, 0, applied.stderr);
    const [code] = (await exited) as [number | null];
    assert.equal(code, 0, child.lines.join('\n'));
    const j = journalOf(journal);
    assert.equal(j.status, 'promoted');
    assert.equal(j.promotion?.applied, true);
    assert.deepEqual(await mesh.overrides(), []);
  });
});

