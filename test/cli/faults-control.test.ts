import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadGameday } from '../../runner/gameday/load-gameday.js';
import { startTestControl, type TestControl } from '../control/control-fixture.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/mesh-fixture.js';

const RULE = 'id: pay-503\ntarget: payments\nabort: { status: 503 }\nttl: 2m\n';

describe('the faults CLI against the control plane', () => {
  let control: TestControl;
  const dir = tempDir();
  before(async () => (control = await startTestControl()));
  after(async () => {
    await control.stop();
    dir.remove();
  });
  const faultIds = async () => (await control.call('GET', '/v1/faults')).json<{ faults: Array<{ id: string }> }>().faults.map((f) => f.id);

  it('adds, lists and removes a rule on the control plane with --control', async () => {
    const file = dir.file('rule.yaml', RULE);
    const added = await runCli(['faults', 'add', file, '--control', control.url]);
    assert.equal(added.code, 0, added.stderr);
    assert.match(added.stdout, new RegExp(`${control.url}: added pay-503`));
    assert.deepEqual(await faultIds(), ['pay-503']);
    const listed = await runCli(['faults', 'list', '--control', control.url]);
    assert.match(listed.stdout, /1 fault\b[\s\S]*pay-503\s+target=payments/);
    const removed = await runCli(['faults', 'rm', 'pay-503', '--control', control.url]);
    assert.equal(removed.code, 0, removed.stderr);
    assert.deepEqual(await faultIds(), []);
  });

  it('goes to FAULTMESH_CONTROL when no --admin is given, and halts and resumes the whole mesh there', async () => {
    const env = { FAULTMESH_CONTROL: control.url };
    const halted = await runCli(['faults', 'halt'], undefined, env);
    assert.equal(halted.code, 0, halted.stderr);
    assert.equal((await control.call('GET', '/healthz')).json<{ halted: boolean }>().halted, true);
    const refused = await runCli(['faults', 'add', dir.file('rule2.yaml', RULE)], undefined, env);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /FAULTS_HALTED/);
    const resumed = await runCli(['faults', 'resume'], undefined, env);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.equal((await control.call('GET', '/healthz')).json<{ halted: boolean }>().halted, false);
  });

  it('renews the same file added again on the control plane, refuses another rule under its id with hints, and renews with faults renew', async () => {
    const file = dir.file('same.yaml', 'id: same\ntarget: payments\ndelay: { fixed: 0.4s }\nttl: 1m\n');
    const flags = ['--control', control.url];
    assert.equal((await runCli(['faults', 'add', file, ...flags])).code, 0);
    const again = await runCli(['faults', 'add', dir.file('same-10m.yaml', 'id: same\ntarget: payments\ndelay: { fixed: 400ms }\npercentage: 100\nttl: 10m\n'), ...flags]);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /renewed same \(the same rule was in force\)/);
    const expiry = async () => Date.parse((await control.call('GET', '/v1/faults/same')).json<{ expiresAt: string }>().expiresAt) - control.clock.now();
    assert.equal(await expiry(), 10 * 60_000, 'renewed for the ttl of the file added again');

    const other = await runCli(['faults', 'add', '--target', 'payments', '--id', 'same', '--abort', '500', ...flags]);
    assert.equal(other.code, 1);
    assert.match(other.stderr, new RegExp(`409 FAULT_EXISTS[\\s\\S]*faultmesh faults renew same --ttl 10m --control ${control.url}[\\s\\S]*faultmesh faults rm same --control ${control.url}`));

    const renewed = await runCli(['faults', 'renew', 'same', '--ttl', '20m', ...flags]);
    assert.equal(renewed.code, 0, renewed.stderr);
    assert.match(renewed.stdout, /renewed same: lease now ends in 20m, was 10m, expires /);
    assert.equal(await expiry(), 20 * 60_000);

    const json = await runCli(['faults', 'list', '--json', ...flags]);
    const doc = JSON.parse(json.stdout) as { admins: Array<{ admin: string; faults: Array<Record<string, unknown>> }> };
    const rule = doc.admins[0]!.faults.find((f) => f.id === 'same')!;
    assert.deepEqual(rule.delay, { form: 'fixed', ms: 400 }, 'the control plane\'s delay as sent, in the same form a proxy lists');
    assert.deepEqual(rule.proxies, []);
    assert.equal(rule.expiresAt, new Date(control.clock.now() + 20 * 60_000).toISOString());
    const cut = await runCli(['faults', 'renew', 'same', '--ttl', '2m', ...flags]);
    assert.match(cut.stdout, /renewed same: lease now ends in 2m, was 20m \(renew sets the lease to --ttl from now, shorter too\)/, 'a cut lease says so');
    assert.equal(await expiry(), 2 * 60_000);
    assert.equal((await runCli(['faults', 'rm', 'same', ...flags])).code, 0);
  });

  it('says which control plane did not answer and how to name another', async () => {
    const run = await runCli(['faults', 'list', '--control', 'http://127.0.0.1:1']);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /no faultmesh control plane answered at http:\/\/127\.0\.0\.1:1 \(from --control\)[^\n]*--control URL or FAULTMESH_CONTROL[^\n]*--var control=URL/);
    const env = await runCli(['faults', 'list'], undefined, { FAULTMESH_CONTROL: 'http://127.0.0.1:1' });
    assert.match(env.stderr, /\(from FAULTMESH_CONTROL\)/);
  });

  it('refuses --control together with --admin, naming both', async () => {
    const run = await runCli(['faults', 'list', '--control', control.url, '--admin', 'http://127.0.0.1:1']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /control[\s\S]*admin|admin[\s\S]*control/);
  });

  it('lets a game day name the control plane, which it halts and watches like its proxies', () => {
    dir.file('exp.yaml', 'title: t\nmethod:\n  - { type: action, name: p, provider: { type: process, path: "true" } }\n');
    const g = loadGameday(dir.file('g.yaml', `gameday: g\ncontrol: ${control.url}\nadmin: [http://127.0.0.1:15010]\nruns:\n  - { experiment: exp.yaml, at: 2030-01-01T09:00 }\n`));
    assert.deepEqual(g.admins, [control.url, 'http://127.0.0.1:15010']);
  });
});
