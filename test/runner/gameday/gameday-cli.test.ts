import assert from 'node:assert/strict';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { PlanDocument } from '../../../runner/gameday/plan-json.js';
import { runCli, spawnCli, waitForLine } from '../../helpers/cli.js';
import { gamedayFolder } from '../../helpers/gameday-fixture.js';
import { send } from '../../helpers/http-client.js';
import { startMeshFixture, type MeshFixture } from '../../helpers/mesh-fixture.js';

describe('faultmesh gameday on the command line', () => {
  const f = gamedayFolder();
  let mesh: MeshFixture;
  before(async () => (mesh = await startMeshFixture([{ service: 'payments', id: 'pay-1' }])));
  after(async () => {
    await mesh.stop();
    f.dir.remove();
  });
  const utcDay = () => f.gameday(`gameday: UTC day\ntimezone: UTC\nwindow: { start: 2026-12-01T09:00, end: 2026-12-01T12:00 }\nruns:\n  - { experiment: mark.yaml, id: abort, at: 2026-12-01T09:15 }\n  - { experiment: mark.yaml, id: then, after: abort }\n`);

  it('plan --json prints the whole plan as one document of a stable shape, and the text plan of a UTC day one time column', async () => {
    const file = utcDay();
    const json = await runCli(['gameday', 'plan', file, '--json']);
    assert.equal(json.code, 0, json.stderr);
    const doc = JSON.parse(json.stdout) as PlanDocument;
    assert.deepEqual(Object.keys(doc), ['gameday', 'file', 'timezone', 'window', 'concurrency', 'onFailure', 'admins', 'starts', 'warnings']);
    assert.deepEqual(doc.window, { start: '2026-12-01T09:00:00.000Z', end: '2026-12-01T12:00:00.000Z' });
    assert.deepEqual(doc.starts[0], { key: 'abort', run: 'abort', trigger: 'at', after: null, due: '2026-12-01T09:15:00.000Z', dueLocal: '2026-12-01 09:15:00 UTC', estimatedSeconds: 1, outsideWindow: false });
    assert.equal(doc.starts[1]?.after, 'abort');
    assert.ok(doc.warnings.some((w) => /window .* is in the past/.test(w)), doc.warnings.join('\n'));
    const text = await runCli(['gameday', 'plan', file]);
    assert.match(text.stdout, /times in UTC\n/);
    assert.match(text.stdout, /\n {2}2026-12-01 09:15:00 UTC {2}abort {2}\[at\]/, 'one column of times');
    assert.doesNotMatch(text.stdout, /UTC and UTC|UTC {2}2026/);
  });

  it('plan takes no --token; run refuses a blank one before anything is written, and its help shows where the output goes by default', async () => {
    const plan = await runCli(['gameday', 'plan', utcDay(), '--token', 'x']);
    assert.equal(plan.code, 2, plan.stderr);
    assert.match(plan.stderr, /token/);
    const out = join(f.dir.path, 'blank-token');
    const blank = await runCli(['gameday', 'run', utcDay(), '--out', out, '--token', '']);
    assert.equal(blank.code, 2, blank.stderr);
    assert.match(blank.stderr, /--token is blank/);
    assert.ok(!existsSync(out), 'nothing was written');
    const help = await runCli(['gameday', 'run', '--help']);
    assert.match(help.stdout, /--out .*\n?.*\[default: gameday-<its title>/s);
    assert.match(help.stdout, /--token/);
    const planHelp = await runCli(['gameday', 'plan', '--help']);
    assert.doesNotMatch(planHelp.stdout, /--token/);
  });

  it('halted mid-run: the halt ends the fault once, the rows say "by the halt", and the end says the proxy stays halted and how to resume it', async () => {
    const hold = f.dir.file('hold.yaml', `title: holds a fault\nmethod:\n  - { type: action, name: pay-503, provider: { type: fault, admin: "${mesh.proxy.adminUrl}", rule: { target: payments, abort: { status: 503 } }, duration: 30s } }\n`);
    const due = new Date(Date.now() - 60_000).toISOString().slice(0, 16);
    const file = f.gameday(`gameday: Halted drill\ntimezone: UTC\nadmin: [${mesh.proxy.adminUrl}]\nruns:\n  - { experiment: ${hold}, id: hold, at: ${due} }\n  - { experiment: mark.yaml, id: then, after: hold }\n`);
    const dir = join(f.dir.path, 'halted-drill');
    const child = spawnCli(['gameday', 'run', file, '--out', dir]);
    const exited = once(child, 'exit');
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => (stderr += d));
    try {
      await waitForLine(child, /fault \S+ injected/);
      const halt = await runCli(['gameday', 'halt', dir, '--reason', 'drill']);
      assert.equal(halt.code, 0, halt.stderr);
      const [code] = (await exited) as [number | null];
      assert.equal(code, 3, `${stdout}${stderr}`);
      assert.equal(stderr.match(/EMERGENCY HALT by/g)?.length, 1, stderr);
      // `gameday halt` writes the HALT file and halts the proxy: the game day's poller (each second) or the run's own
      // watch of its fault (which the proxy's halt removed) sees it first, and both are the halt, said once.
      assert.match(stderr, /✗ stopping: (interrupted \(the game day's emergency halt\)|an emergency halt on \S+ removed fault \S+ at \S+)\n/);
      assert.match(stderr, /\n {2}fault \S+ ((removed|ended by the emergency halt) after|held \S+ of \S+ until the halt)/);
      assert.match(stdout, /\n {2}hold +interrupted +by the halt\n {2}then +cancelled +by the halt\n/);
      const notice = new RegExp(`the halt stays in force: the proxy ${mesh.proxy.adminUrl} refuses new faults until resumed\\.\\n  when it is safe: (faultmesh faults resume --admin ${mesh.proxy.adminUrl})\\n`).exec(stdout);
      assert.ok(notice, stdout);
      const resume = await runCli(notice[1]!.split(' ').slice(1));
      assert.equal(resume.code, 0, resume.stderr);
      assert.equal((await send(mesh.proxy.adminUrl, { path: '/healthz' })).json<{ halted: boolean }>().halted, false, 'the printed command resumed the proxy');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await send(mesh.proxy.adminUrl, { method: 'POST', path: '/v1/resume' });
    }
  });
});
