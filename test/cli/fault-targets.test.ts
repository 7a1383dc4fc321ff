import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { AUTH, startFaultFixture, TOKEN, type FaultFixture } from '../helpers/fault-fixture.js';
import { send } from '../helpers/http-client.js';
import { tempDir } from '../helpers/mesh-fixture.js';

const json = { ...AUTH, 'content-type': 'application/json' };

describe('fault rules for services the mesh does not have', () => {
  let f: FaultFixture;
  const dir = tempDir();
  before(async () => (f = await startFaultFixture()));
  after(async () => {
    await f.stop();
    dir.remove();
  });

  it('the admin API adds such a rule with a warning, and none for a service it knows', async () => {
    const unknown = await send(f.proxy.adminUrl, { method: 'POST', path: '/v1/faults', headers: json, body: JSON.stringify({ id: 'ghost', target: 'paymnets', abort: { status: 503 }, ttl: '10s' }) });
    assert.equal(unknown.status, 201, unknown.text());
    assert.match(String(unknown.json().warning), /no service "paymnets" in this proxy's mesh: the rule matches nothing until a reload adds it/);
    const known = await send(f.proxy.adminUrl, { method: 'POST', path: '/v1/faults', headers: json, body: JSON.stringify({ id: 'real', target: 'payments', abort: { status: 503 }, ttl: '10s' }) });
    assert.equal(known.status, 201, known.text());
    assert.equal(known.json().warning, undefined);
    const everyService = await send(f.proxy.adminUrl, { method: 'POST', path: '/v1/faults', headers: json, body: JSON.stringify({ id: 'all', target: '*', abort: { status: 503 }, ttl: '10s' }) });
    assert.equal(everyService.json().warning, undefined, '"*" names every service, known or not');
    await f.clearFaults();
  });

  it('faults add prints that warning, and refuses a file that gives one rule id twice', async () => {
    const ghost = dir.file('ghost.yaml', 'id: ghost-cli\ntarget: paymnets\nabort: { status: 503 }\nttl: 10s\n');
    const add = await runCli(['faults', 'add', ghost, '--admin', f.proxy.adminUrl, '--token', TOKEN]);
    assert.equal(add.code, 0, add.stderr);
    assert.match(add.stdout, /added ghost-cli/);
    assert.match(add.stderr, /warning: no service "paymnets" in this proxy's mesh/);

    const twice = dir.file('twice.yaml', '- { id: dup, target: payments, reset: true, ttl: 10s }\n- { id: dup, target: payments, abort: { status: 503 }, ttl: 10s }\n');
    const refused = await runCli(['faults', 'add', twice, '--admin', f.proxy.adminUrl, '--token', TOKEN]);
    assert.equal(refused.code, 2, refused.stderr);
    assert.match(refused.stderr, /twice\.yaml:2:9 \[1\]\.id: duplicate rule id "dup" \(first at \[0\]\)/);
    const live = (await send(f.proxy.adminUrl, { path: '/v1/faults' })).json<{ faults: Array<{ id: string }> }>().faults.map((r) => r.id);
    assert.ok(!live.includes('dup'), 'nothing from the refused file was applied');
    await f.clearFaults();
  });

  it('validate warns, with file:line:column, about targets no mesh given to it declares', async () => {
    const mesh = dir.file('mesh.yaml', 'services:\n  payments:\n    instances: []\n');
    const rules = dir.file('rules.yaml', '- { id: a, target: payments, reset: true, ttl: 10s }\n- { id: b, target: paymnets, reset: true, ttl: 10s }\n');
    const exp = dir.file(
      'exp.yaml',
      'title: t\nmethod:\n  - type: action\n    name: f\n    provider: { type: fault, admin: http://127.0.0.1:1, rule: { target: checkout, reset: true }, duration: 1s }\n',
    );
    const both = await runCli(['validate', mesh, rules]);
    assert.equal(both.code, 0, both.stderr);
    assert.match(both.stderr, /warning: .*rules\.yaml:2:20 \[1\]\.target: no service "paymnets" in .*mesh\.yaml: the rule would match nothing/);
    assert.doesNotMatch(both.stderr, /"payments"/);

    const withFlag = await runCli(['validate', exp, '--mesh', mesh]);
    assert.equal(withFlag.code, 0, withFlag.stderr);
    assert.match(withFlag.stderr, /warning: .*exp\.yaml:5:\d+ method\[0\]\.provider\.rule\.target: no service "checkout"/);

    const alone = await runCli(['validate', rules]);
    assert.equal(alone.code, 0, alone.stderr);
    assert.equal(alone.stderr, '', 'with no mesh to check against, nothing to warn about');
  });
});
