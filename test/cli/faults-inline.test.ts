import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { after, afterEach, before, describe, it } from 'node:test';
import type { EchoUpstream } from '../../demo/echo-upstream.js';
import { STARTUP_TIMEOUT_MS } from '../../demo/children.js';
import type { RunningProxy } from '../../proxy/proxy-app.js';
import { runCli, type CliRun } from '../helpers/cli.js';
import { send } from '../helpers/http-client.js';
import { meshYaml, startTestProxy, startUpstreams, tempDir } from '../helpers/mesh-fixture.js';

const main = fileURLToPath(new URL('../../cli/main.ts', import.meta.url));

/** Runs the CLI with `input` on its standard input. */
async function runWithStdin(args: string[], input: string): Promise<CliRun> {
  const child = spawn(process.execPath, ['--import', 'tsx', main, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  child.stdin.end(input);
  const timer = setTimeout(() => child.kill('SIGKILL'), STARTUP_TIMEOUT_MS);
  const [code] = (await once(child, 'exit')) as [number | null];
  clearTimeout(timer);
  return { code, stdout, stderr };
}

describe('faults add without a file, from stdin, and again', () => {
  const dir = tempDir();
  let upstreams: Map<string, EchoUpstream>;
  let proxy: RunningProxy;
  let admin: string[];
  const specs = [{ service: 'payments', id: 'pay-1', region: 'eu-west' }];

  before(async () => {
    upstreams = await startUpstreams(specs);
    proxy = await startTestProxy(dir.file('mesh.yaml', meshYaml(specs, upstreams)), { adminToken: 't' });
    admin = ['--admin', proxy.adminUrl, '--token', 't'];
  });
  afterEach(() => {
    proxy.faults.resume();
    proxy.faults.clear();
  });
  after(async () => {
    await proxy.close(500);
    for (const u of upstreams.values()) await u.close();
    dir.remove();
  });

  it('adds a rule written as flags, every matcher and action of the schema among them', async () => {
    const run = await runCli([
      'faults', 'add', '--target', 'payments', '--id', 'flags', '--abort', '503', '--abort-body', 'down', '--abort-header', 'retry-after=5',
      '--percentage', '10', '--customer', 'acme', '--customer', 'beta', '--region', 'eu-west', '--zone', 'eu-west-1a,eu-west-1b', '--source', 'checkout',
      '--path', '/charge/*', '--method', 'post', '--header', 'x-tenant=blue', '--label', 'version=v2', '--host', 'payments', '--max-active', '3', '--seed', '7', '--ttl', '5m', ...admin,
    ]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /: added flags, expires /);
    const rule = proxy.faults.get('flags')!;
    assert.ok(rule, 'the rule is in force');
    assert.deepEqual(rule.spec.match, { customers: ['acme', 'beta'], regions: ['eu-west'], zones: ['eu-west-1a', 'eu-west-1b'], sources: ['checkout'], paths: ['/charge/*'], methods: ['POST'], headers: { 'x-tenant': 'blue' }, labels: { version: 'v2' }, hosts: ['payments'] });
    assert.deepEqual(rule.spec.abort, { status: 503, body: 'down', headers: { 'retry-after': '5' } });
    assert.equal(rule.spec.percentage, 10);
    assert.equal(rule.spec.maxActive, 3);
    assert.equal(rule.spec.seed, '7');
    assert.equal(rule.expiresAt - rule.createdAt, 5 * 60_000);

    const delayed = await runCli(['faults', 'add', '--target', 'payments', '--id', 'slow', '--delay', '100ms..400ms', '--phase', 'response', '--throttle', '1024', ...admin]);
    assert.equal(delayed.code, 0, delayed.stderr);
    assert.deepEqual(proxy.faults.get('slow')!.spec.delay, { form: 'uniform', minMs: 100, maxMs: 400 });
    assert.deepEqual(proxy.faults.get('slow')!.spec.throttle, { bytesPerSecond: 1024 });
    assert.equal(proxy.faults.get('slow')!.expiresAt - proxy.faults.get('slow')!.createdAt, 10 * 60_000, 'the default lease of a rule given as flags is 10m');
  });

  it('refuses bad flags with exit 2, naming each flag, and sends nothing', async () => {
    const run = await runCli(['faults', 'add', '--target', 'Payments', '--abort', '42', '--percentage', '200', '--delay-stddev', '5ms', '--header', 'novalue', '--hang', ...admin]);
    assert.equal(run.code, 2, run.stderr);
    for (const flag of ['--target', '--abort', '--percentage', '--delay-stddev', '--header']) assert.match(run.stderr, new RegExp(`^  ${flag}: `, 'm'), `names ${flag}`);
    assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace');
    const none = await runCli(['faults', 'add', '--target', 'payments', ...admin]);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /give an action: --abort STATUS, --delay D, --reset, --hang or --throttle/);
    const both = await runCli(['faults', 'add', dir.file('r.yaml', 'target: payments\nabort: { status: 503 }\nttl: 1m\n'), '--abort', '500', ...admin]);
    assert.equal(both.code, 2);
    assert.match(both.stderr, /r\.yaml or as flags, not both/);
    assert.equal(proxy.faults.list().length, 0);
  });

  it('reads the rule file from standard input with -, naming it <stdin> in errors', async () => {
    const run = await runWithStdin(['faults', 'add', '-', ...admin], '- { id: piped, target: payments, delay: { fixed: 400ms }, ttl: 1m }\n');
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(proxy.faults.get('piped')!.spec.delay, { form: 'fixed', ms: 400 });
    const bad = await runWithStdin(['faults', 'add', '-', ...admin], 'target: payments\nabort: { status: 42 }\nttl: 1m\n');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^<stdin>:2:18 abort\.status: abort status must be 200 to 599$/m);
  });

  it('renews the same rule added again, and refuses another rule under its id with a 409 naming faults renew and faults rm', async () => {
    const file = dir.file('same.yaml', 'id: same\ntarget: payments\nmatch: { methods: [get] }\nabort: { status: 503 }\nttl: 1m\n');
    assert.equal((await runCli(['faults', 'add', file, ...admin])).code, 0);
    const firstExpiry = proxy.faults.get('same')!.expiresAt;
    const again = await runCli(['faults', 'add', dir.file('same-2h.yaml', 'id: same\ntarget: payments\nmatch: { methods: [GET] }\nabort: { status: 503 }\nttl: 30m\n'), ...admin]);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /renewed same \(the same rule was in force\)/);
    assert.ok(proxy.faults.get('same')!.expiresAt >= firstExpiry + 20 * 60_000, 'renewed for the ttl of the file added again');

    const other = await runCli(['faults', 'add', dir.file('other.yaml', '- { id: new-one, target: payments, reset: true, ttl: 1m }\n- { id: same, target: payments, abort: { status: 500 }, ttl: 1m }\n'), ...admin]);
    assert.equal(other.code, 1);
    assert.match(other.stderr, /409 FAULT_EXISTS/);
    assert.match(other.stderr, new RegExp(`faultmesh faults renew same --ttl 10m --admin ${proxy.adminUrl}`));
    assert.match(other.stderr, new RegExp(`faultmesh faults rm same --admin ${proxy.adminUrl}`));
    assert.match(other.stderr, /rolled back new-one/);
    assert.equal(proxy.faults.get('same')!.spec.abort!.status, 503, 'the rule in force stays');
    assert.equal(proxy.faults.get('new-one'), undefined);
  });

  it('renews a rule with faults renew ID --ttl, and says how to list the rules when the id is not there', async () => {
    assert.equal((await runCli(['faults', 'add', '--target', 'payments', '--id', 'r', '--reset', '--ttl', '1m', ...admin])).code, 0);
    const renewed = await runCli(['faults', 'renew', 'r', '--ttl', '3h', ...admin]);
    assert.equal(renewed.code, 0, renewed.stderr);
    assert.match(renewed.stdout, /renewed r: lease now ends in 1h, was .*, expires .*\(warning: ttl capped to 1h/);
    assert.ok(proxy.faults.get('r')!.expiresAt - proxy.faults.get('r')!.createdAt > 50 * 60_000);
    const missing = await runCli(['faults', 'renew', 'nope', '--ttl', '1m', ...admin]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /404 FAULT_NOT_FOUND[\s\S]*hint: faultmesh faults list --admin/);
    const bad = await runCli(['faults', 'renew', 'r', '--ttl', 'soon', ...admin]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--ttl: /);
  });

  it('lists the match and the amounts, and --json in a stable shape', async () => {
    await runCli(['faults', 'add', '--target', 'payments', '--id', 'lst', '--delay', '400ms', '--percentage', '50', '--customer', 'acme', ...admin]);
    await send(proxy.proxyUrl, { headers: { host: 'payments', 'x-customer-id': 'acme' } });
    const list = await runCli(['faults', 'list', '--admin', proxy.adminUrl]);
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, /lst {2}target=payments {2}delay 400ms {2}50% {2}request {2}where customers=acme {2}expires in \d+s {2}matched=1 hit=[01] active=0/);
    const json = await runCli(['faults', 'list', '--json', '--admin', proxy.adminUrl, '--admin', 'http://127.0.0.1:1']);
    assert.equal(json.code, 1, 'one admin did not answer');
    const doc = JSON.parse(json.stdout) as { admins: Array<Record<string, unknown>> };
    assert.equal(doc.admins.length, 2);
    const [ok, down] = doc.admins as [{ admin: string; halted: boolean; faults: Array<Record<string, unknown>> }, { admin: string; error: { status: number; code: string } }];
    assert.equal(ok.admin, proxy.adminUrl);
    assert.equal(ok.halted, false);
    const rule = ok.faults[0]!;
    assert.deepEqual(Object.keys(rule).sort(), ['counts', 'createdAt', 'delay', 'expiresAt', 'id', 'match', 'percentage', 'phase', 'remainingMs', 'target'].sort());
    assert.deepEqual(rule.delay, { form: 'fixed', ms: 400 });
    assert.deepEqual(rule.match, { customers: ['acme'] });
    assert.equal((rule.counts as { matched: number }).matched, 1);
    assert.equal(down.admin, 'http://127.0.0.1:1');
    assert.deepEqual([down.error.status, down.error.code], [0, 'UNREACHABLE']);
    assert.match(json.stderr, /no faultmesh proxy admin API answered at http:\/\/127\.0\.0\.1:1 \(from --admin\)/);
  });

  it('points a halted proxy at faults resume, with the flag that reaches it', async () => {
    assert.equal((await runCli(['faults', 'halt', ...admin])).code, 0);
    const list = await runCli(['faults', 'list', '--admin', proxy.adminUrl]);
    assert.match(list.stdout, new RegExp(`HALTED: faults are refused until faultmesh faults resume --admin ${proxy.adminUrl}`));
    const add = await runCli(['faults', 'add', '--target', 'payments', '--abort', '503', ...admin]);
    assert.equal(add.code, 1);
    assert.match(add.stderr, new RegExp(`409 FAULTS_HALTED[\\s\\S]*hint: fault injection is halted there; resume it with: faultmesh faults resume --admin ${proxy.adminUrl}`));
  });
});
