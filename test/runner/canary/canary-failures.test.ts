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

/** What must never promote, and what must always give the traffic back. */
describe('faultmesh canary run when things go wrong', () => {
  let mesh: CanaryMesh;
  before(async () => {
    mesh = await startCanaryMesh();
  });
  after(async () => {
    await mesh?.stop();
  });

  it('with too little traffic says "insufficient data", then rolls back, never promotes', async () => {
    const journal = join(mesh.dir.path, 'quiet.json');
    const file = mesh.canaryFile('quiet', { rate: 4, minRequests: 200, interval: '1s', maxWait: '3s' });
    const r = await mesh.fleet.exec(['canary', 'run', file, '--journal', journal, '--sample', '300ms', '--lease', '3s'], mesh.env);
    assert.equal(r.code, 1, r.stderr);
    const j = journalOf(journal);
    assert.equal(j.status, 'rolled-back');
    assert.match(j.decision!.sentence, /insufficient data/);
    assert.ok(j.judgements.length >= 1 && j.judgements.every((x) => x.outcome === 'insufficient'), JSON.stringify(j.judgements.map((x) => x.outcome)));
    assert.ok(!j.weights.some((w) => w.weight > 20));
    assert.deepEqual(await mesh.overrides(), []);
  });

  it('returns all traffic to stable within the lease when the canary process is SIGKILLed mid-step', async () => {
    const file = mesh.canaryFile('killed', { steps: '[50]', interval: '10m' });
    const child = mesh.fleet.launch(['canary', 'run', file, '--journal', join(mesh.dir.path, 'killed.json'), '--sample', '300ms', '--lease', '2s'], 'canary', mesh.env);
    await waitFor(async () => (await mesh.overrides()).length === 1, 'the canary override is in place', 30_000);
    await waitFor(async () => (await send(mesh.proxy.url, { path: '/buy', headers: { host: 'shop' } })).headers['x-version'] === 'v2', 'the canary gets traffic');
    const status = await mesh.fleet.exec(['canary', 'status', '--control', mesh.control.url], mesh.env);
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, /^killed: step 1 of 1 at 50%, 50% to the canary/m);
    assert.match(status.stdout, /^canary:killed: shop route 1 version=v1 50%, version=v2 50%, lease \d+ s left/m);
    const second = await mesh.fleet.exec(['canary', 'run', mesh.canaryFile('second'), '--journal', join(mesh.dir.path, 'second.json')], mesh.env);
    assert.equal(second.code, 1, second.stderr);
    assert.match(second.stderr, /route 1 of "shop" already has a weight override by canary:killed .*nothing was changed/);
    const killedAt = Date.now();
    await mesh.fleet.kill(child);
    await waitFor(async () => (await mesh.overrides()).length === 0, 'the override ends with its lease', 10_000);
    const gone = Date.now() - killedAt;
    // Lease 2 s, and the control plane's lease sweep: well within two leases.
    assert.ok(gone < 4500, `the override outlived the canary by ${gone} ms`);
    await waitFor(async () => {
      const versions = await Promise.all(Array.from({ length: 20 }, () => send(mesh.proxy.url, { path: '/buy', headers: { host: 'shop' } }).then((x) => x.headers['x-version'])));
      return versions.every((v) => v === 'v1');
    }, 'every request goes to v1 again', 10_000);
  });

  it('canary abort during a chaos stage removes the fault, rolls back, and the run exits 3', async () => {
    mesh.dir.file('slow-canary.yaml', `title: the canary under a delay
method:
  - type: action
    name: canary-delay
    provider:
      type: fault
      rule: { target: shop, delay: { fixed: 20ms } }
      duration: 5m
`);
    const file = mesh.canaryFile('chaotic', { steps: '[20, 50]', extra: 'chaos:\n  - at: 20\n    experiment: slow-canary.yaml\n' });
    const journal = join(mesh.dir.path, 'chaotic.json');
    const child = mesh.fleet.launch(['canary', 'run', file, '--journal', journal, '--sample', '300ms', '--lease', '3s'], 'canary', mesh.env);
    const exited = once(child.proc, 'exit');
    const faults = async () => (await send(mesh.control.url, { path: '/v1/faults' })).json<{ faults: Array<{ match?: { labels?: unknown } }> }>().faults;
    await waitFor(async () => (await faults()).length === 1, 'the chaos stage injects its fault', 30_000);
    assert.deepEqual((await faults())[0]!.match?.labels, { version: 'v2' }, 'the fault is aimed at the canary');
    const abort = await mesh.fleet.exec(['canary', 'abort', 'chaotic'], mesh.env);
    assert.equal(abort.code, 0, abort.stderr);
    assert.match(abort.stdout, /stopped: Aborted at 20%/);
    const [code] = (await exited) as [number | null];
    assert.equal(code, 3);
    assert.deepEqual(await faults(), []);
    assert.deepEqual(await mesh.overrides(), []);
    const j = journalOf(journal);
    assert.equal(j.status, 'aborted');
    assert.equal(j.chaos.length, 1);
    assert.notEqual(j.chaos[0]!.end, null);
  });
});
