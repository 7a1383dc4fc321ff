import assert from 'node:assert/strict';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Journal } from '../../runner/journal.js';
import { runCli, spawnCli, waitForLine } from '../helpers/cli.js';
import { send } from '../helpers/http-client.js';
import { startMeshFixture, type MeshFixture } from '../helpers/mesh-fixture.js';
import { waitFor } from '../helpers/wait.js';
import { STARTUP_TIMEOUT_MS } from '../../demo/children.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/ctk/${name}`, import.meta.url));

describe('faultmesh run', () => {
  let mesh: MeshFixture;
  before(async () => (mesh = await startMeshFixture([{ service: 'payments', id: 'pay-1' }, { service: 'payments', id: 'pay-2' }])));
  after(() => mesh.stop());
  const faultsOnProxy = async () => (await send(mesh.proxy.adminUrl, { path: '/v1/faults' })).json<{ faults: Array<{ id: string }> }>().faults;
  const upstreamUrl = () => mesh.upstreams.get('pay-1')!.url;
  const readJournal = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Journal;

  /** A 30 s fault on payments, and a rollback that leaves a mark in `mark`. */
  const longFault = (mark: string) =>
    mesh.dir.file(
      `long-${Math.random().toString(36).slice(2)}.yaml`,
      `title: long fault
method:
  - type: action
    name: pay-503
    provider: { type: fault, admin: ${mesh.proxy.adminUrl}, rule: { target: payments, abort: { status: 503 } }, duration: 30s }
rollbacks:
  - { type: action, name: mark, provider: { type: process, path: "${process.execPath}", arguments: ["-e", "require('fs').writeFileSync('${mark}', 'rolled back')"] } }
`,
    );

  it('refuses an invalid experiment with exit 2 and every error as file:line:column field: message', async () => {
    const file = mesh.dir.file('bad.yaml', 'title: bad\nmethod:\n  - { type: action, name: a, provider: { type: python, module: m } }\n  - { type: probe, name: b, provider: { type: http, url: "not a url" } }\n');
    const run = await runCli(['run', file, '--journal', mesh.dir.file('bad.json', '')]);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, new RegExp(`${file}:3:\\d+ method\\[0\\]\\.provider\\.func: required field is missing`));
    assert.match(run.stderr, new RegExp(`${file}:4:\\d+ method\\[1\\]\\.provider\\.url: an http:// or https:// URL`));
    assert.match(run.stderr, /2 errors/);
  });

  it('validates the example experiments and Chaos Toolkit files', async () => {
    const examples = ['payments-abort.yaml', 'catalog-latency.yaml', 'payments-region-outage.yaml'].map((f) => fileURLToPath(new URL(`../../experiments/${f}`, import.meta.url)));
    const run = await runCli(['validate', ...examples, fixture('service-health.json'), fixture('json-api.yaml'), fixture('with-secrets.yaml')], undefined, { TARGET_URL: 'http://127.0.0.1:9', SERVICE_TOKEN: 't' });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout.match(/: ok \(experiment "/g)?.length, 6, run.stdout);
  });

  it('--dry-run prints the plan and touches nothing', async () => {
    const run = await runCli(['run', longFault(mesh.dir.file('dry-mark', '')), '--dry-run']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /1\. action "pay-503": inject into http:\/\/127\.0\.0\.1:\d+ for 30s: payments: abort 503 100%/);
    assert.match(run.stdout, /Revert: 1 fault held under a 10s lease/);
    assert.deepEqual(await faultsOnProxy(), []);
  });

  it('--dry-run into a reader that has gone (| head) ends without EPIPE', async () => {
    const child = spawnCli(['run', longFault(mesh.dir.file('dry-mark-2', '')), '--dry-run']);
    // The reader leaves before the first line: every write of the plan meets a closed pipe.
    child.stdout!.destroy();
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), STARTUP_TIMEOUT_MS);
    const [code] = (await once(child, 'exit')) as [number | null];
    clearTimeout(timer);
    assert.equal(code, 0, stderr);
    assert.doesNotMatch(stderr, /EPIPE|Error/);
  });

  for (const name of ['service-health.json', 'json-api.yaml', 'with-secrets.yaml']) {
    it(`runs the Chaos Toolkit experiment ${name} unchanged, and the hypothesis holds`, async () => {
      const journalPath = mesh.dir.file(`${name}.journal.json`, '');
      const reportPath = mesh.dir.file(`${name}.report.html`, '');
      const run = await runCli(['run', fixture(name), '--journal', journalPath, '--report', reportPath], undefined, { TARGET_URL: upstreamUrl(), SERVICE_TOKEN: 'tok-123' });
      assert.equal(run.code, 0, run.stderr);
      const journal = readJournal(journalPath);
      assert.equal(journal.status, 'completed');
      assert.equal(journal.steady_states.after?.met, true);
      assert.ok(!readFileSync(journalPath, 'utf8').includes('tok-123'), 'the secret is masked');
      const report = readFileSync(reportPath, 'utf8');
      assert.match(report, /The hypothesis held: the steady state was met before and after the method: &quot;[\w-]+&quot; .+ before and .+ after \(/);
      assert.ok(!report.includes('tok-123'), 'the secret is masked in the report too');
    });
  }

  it('on SIGINT mid-method removes the fault, runs the rollbacks and exits 3; a second SIGINT does not skip that', async () => {
    const mark = mesh.dir.file('sigint-mark', '');
    const journalPath = mesh.dir.file('sigint.json', '');
    const child = spawnCli(['run', longFault(mark), '--journal', journalPath]);
    await waitForLine(child, /fault \S+ injected/);
    assert.equal((await faultsOnProxy()).length, 1);
    child.kill('SIGINT');
    child.kill('SIGINT');
    const [code] = (await once(child, 'exit')) as [number];
    assert.equal(code, 3);
    assert.deepEqual(await faultsOnProxy(), []);
    assert.equal(readFileSync(mark, 'utf8'), 'rolled back');
    const journal = readJournal(journalPath);
    assert.equal(journal.status, 'interrupted');
    assert.equal(journal.faults[0]!.state, 'removed');
  });

  it('halted mid-run by an operator, says once that the halt ended the fault, exits 3, and ends saying the proxy stays halted with the command that resumes it', async () => {
    const mark = mesh.dir.file('halt-mark', '');
    const journalPath = mesh.dir.file('halted.json', '');
    const child = spawnCli(['run', longFault(mark), '--journal', journalPath, '--fault-lease', '900ms']);
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    const exited = once(child, 'exit');
    await waitForLine(child, /fault \S+ injected/);
    assert.equal((await send(mesh.proxy.adminUrl, { method: 'POST', path: '/v1/halt' })).status, 200);
    const [code] = (await exited) as [number];
    try {
      assert.equal(code, 3, stderr);
      const id = readJournal(journalPath).faults[0]!.id;
      assert.match(stderr, new RegExp(`✗ stopping: an emergency halt on ${mesh.proxy.adminUrl} removed fault ${id} at \\S+\n`));
      assert.match(stderr, new RegExp(`\n  fault ${id} held \\d+\\.\\ds of 30s until the halt`), 'the fault line does not say it again');
      assert.match(stderr, /\n  method action "pay-503": interrupted \[/);
      assert.doesNotMatch(stderr, / lost |no longer held it/);
      const notice = new RegExp(`the halt stays in force: the proxy ${mesh.proxy.adminUrl} refuses new faults until resumed\\.\n  when it is safe: (faultmesh faults resume --admin ${mesh.proxy.adminUrl})\n`).exec(stderr);
      assert.ok(notice, stderr);
      assert.equal(readFileSync(mark, 'utf8'), 'rolled back');
      // The printed command, as a user would paste it.
      const resume = await runCli(notice[1]!.split(' ').slice(1));
      assert.equal(resume.code, 0, resume.stderr);
    } finally {
      await send(mesh.proxy.adminUrl, { method: 'POST', path: '/v1/resume' });
    }
    assert.equal((await send(mesh.proxy.adminUrl, { path: '/healthz' })).json<{ halted: boolean }>().halted, false, 'the command resumed the proxy');
  });

  it('refuses a blank --token before anything runs (exit 2)', async () => {
    const run = await runCli(['run', longFault(mesh.dir.file('blank-mark', '')), '--token', ' ']);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /--token is blank/);
    assert.deepEqual(await faultsOnProxy(), []);
  });

  it('after a SIGKILL, the proxy drops the runner\'s fault within its lease, and the journal says how far the run got', async () => {
    const journalPath = mesh.dir.file('sigkill.json', '');
    const child = spawnCli(['run', longFault(mesh.dir.file('kill-mark', '')), '--journal', journalPath, '--fault-lease', '1s']);
    await waitForLine(child, /fault \S+ injected/);
    child.kill('SIGKILL');
    await once(child, 'exit');
    const killedAt = Date.now();
    assert.equal((await faultsOnProxy()).length, 1, 'the fault outlives the runner for a moment');
    await waitFor(async () => (await faultsOnProxy()).length === 0, 'the proxy drops the fault at the end of its lease', 4000);
    assert.ok(Date.now() - killedAt <= 1000 + 500, `gone ${Date.now() - killedAt} ms after the kill`);
    const journal = readJournal(journalPath);
    assert.equal(journal.status, 'running');
    assert.equal(journal.phase, 'method');
    assert.equal(journal.faults[0]!.state, 'held');
  });
});
