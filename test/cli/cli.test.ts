import assert from 'node:assert/strict';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { EchoUpstream } from '../../demo/echo-upstream.js';
import { runCli, spawnCli, waitForLine } from '../helpers/cli.js';
import { send } from '../helpers/http-client.js';
import type { RunningProxy } from '../../proxy/proxy-app.js';
import { meshYaml, startTestProxy, startUpstreams, tempDir } from '../helpers/mesh-fixture.js';
import { waitFor } from '../helpers/wait.js';

describe('faultmesh CLI', () => {
  const dir = tempDir();
  let upstreams: Map<string, EchoUpstream>;
  let meshFile: string;
  const specs = [{ service: 'payments', id: 'pay-1' }];

  before(async () => {
    upstreams = await startUpstreams(specs);
    meshFile = dir.file('mesh.yaml', meshYaml(specs, upstreams));
  });
  after(async () => {
    for (const u of upstreams.values()) await u.close();
    dir.remove();
  });

  it('validate accepts a good mesh file', async () => {
    const run = await runCli(['validate', meshFile]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /mesh\.yaml: ok \(mesh, 1 service\)/);
  });

  it('validate reports every error with file, line and field, and exits 2', async () => {
    const bad = dir.file('bad.yaml', 'services:\n  pay:\n    policy: { loadBalancer: fastest }\n    instances:\n      - { id: p1, address: nowhere }\n');
    const run = await runCli(['validate', bad]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /bad\.yaml:3:29 services\.pay\.policy\.loadBalancer: loadBalancer must be round-robin, least-request, peak-ewma/);
    assert.match(run.stderr, /bad\.yaml:5:28 services\.pay\.instances\[0\]\.address: "nowhere" is not host:port/);
    assert.match(run.stderr, /2 errors/);
  });

  it('proxy refuses an invalid mesh file before listening, with exit code 2', async () => {
    const bad = dir.file('bad2.yaml', 'services: []\n');
    const run = await runCli(['proxy', '--mesh', bad, '--listen', '127.0.0.1:0', '--admin', '127.0.0.1:0']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /bad2\.yaml:1:11 services:/);
  });

  it('proxy rejects a malformed flag with exit code 2', async () => {
    const run = await runCli(['proxy', '--mesh', meshFile, '--listen', 'nowhere']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /--listen: "nowhere" is not host:port/);
  });

  it('proxy refuses a flag given twice rather than guessing which one was meant', async () => {
    const run = await runCli(['proxy', '--mesh', meshFile, '--listen', '127.0.0.1:0', '--listen', '127.0.0.1:1']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /--listen was given 2 times; give it once/);
  });

  it('proxy reloads on SIGHUP and drains an in-flight request on SIGTERM, exiting 0', async () => {
    const child = spawnCli(['proxy', '--mesh', meshFile, '--listen', '127.0.0.1:0', '--admin', '127.0.0.1:0', '--access-log', 'off']);
    try {
      const [, proxyUrl] = await waitForLine(child, /proxy on (http:\/\/[^,]+),/);
      const ok = await send(proxyUrl!, { headers: { host: 'payments' } });
      assert.equal(ok.status, 200);

      writeFileSync(meshFile, meshYaml(specs, upstreams) + '  alias:\n    instances:\n      - { id: alias-1, address: "127.0.0.1:' + upstreams.get('pay-1')!.port + '" }\n');
      child.kill('SIGHUP');
      await waitForLine(child, /reloaded mesh file \(2 services\)/);
      assert.equal((await send(proxyUrl!, { headers: { host: 'alias' } })).status, 200);

      const before = upstreams.get('pay-1')!.received();
      const slow = send(proxyUrl!, { path: '/?delay=2000', headers: { host: 'payments' } });
      await waitFor(() => upstreams.get('pay-1')!.received() > before, 'the slow request is in flight');
      child.kill('SIGTERM');
      const reply = await slow;
      assert.equal(reply.status, 200, 'the in-flight request finished');
      const [code] = (await once(child, 'exit')) as [number];
      assert.equal(code, 0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});

describe('faultmesh faults', () => {
  const dir = tempDir();
  let upstreams: Map<string, EchoUpstream>;
  const proxies: RunningProxy[] = [];
  const specs = [{ service: 'payments', id: 'pay-1' }];

  before(async () => {
    upstreams = await startUpstreams(specs);
    const mesh = dir.file('mesh.yaml', meshYaml(specs, upstreams));
    proxies.push(await startTestProxy(mesh, { adminToken: 'one' }), await startTestProxy(mesh, { adminToken: 'one' }), await startTestProxy(mesh, { adminToken: 'other' }));
  });
  after(async () => {
    for (const p of proxies) await p.close(500);
    for (const u of upstreams.values()) await u.close();
    dir.remove();
  });

  it('adds a rule file on every proxy named, lists, removes and halts', async () => {
    const file = dir.file('fault.yaml', 'id: pay-503\ntarget: payments\nabort: { status: 503 }\nttl: 60s\n');
    const admins = proxies.slice(0, 2).flatMap((p) => ['--admin', p.adminUrl]);
    const add = await runCli(['faults', 'add', file, ...admins, '--token', 'one']);
    assert.equal(add.code, 0, add.stderr);
    assert.equal(add.stdout.match(/added pay-503/g)?.length, 2);
    for (const p of proxies.slice(0, 2)) assert.equal((await send(p.proxyUrl, { headers: { host: 'payments' } })).status, 503);

    const list = await runCli(['faults', 'list', ...admins]);
    assert.equal(list.code, 0);
    assert.match(list.stdout, /pay-503 {2}target=payments {2}abort 503 {2}100% {2}request/);

    const rm = await runCli(['faults', 'rm', 'pay-503', ...admins, '--token', 'one']);
    assert.equal(rm.code, 0, rm.stderr);
    assert.equal((await send(proxies[0]!.proxyUrl, { headers: { host: 'payments' } })).status, 200);
    const gone = await runCli(['faults', 'rm', 'pay-503', ...admins, '--token', 'one']);
    assert.equal(gone.code, 1, 'removing a rule that is not there is reported');
    assert.match(gone.stderr, /404 FAULT_NOT_FOUND/);

    assert.equal((await runCli(['faults', 'add', file, ...admins, '--token', 'one'])).code, 0);
    const clear = await runCli(['faults', 'clear', ...admins, '--token', 'one']);
    assert.equal(clear.code, 0, clear.stderr);
    assert.equal(clear.stdout.match(/removed 1/g)?.length, 2);
    assert.equal(proxies[0]!.faults.list().length + proxies[1]!.faults.list().length, 0);

    const halt = await runCli(['faults', 'halt', ...admins, '--token', 'one']);
    assert.equal(halt.code, 0);
    assert.equal(proxies[1]!.faults.halted, true);
    assert.equal((await runCli(['faults', 'resume', ...admins, '--token', 'one'])).code, 0);
    assert.equal(proxies[1]!.faults.halted, false);
  });

  it('rolls back on every proxy when one refuses, and exits 1', async () => {
    const file = dir.file('fault2.yaml', '- { id: a, target: payments, abort: { status: 503 }, ttl: 60s }\n- { id: b, target: payments, delay: { fixed: 1ms }, ttl: 60s }\n');
    const run = await runCli(['faults', 'add', file, '--admin', proxies[0]!.adminUrl, '--admin', proxies[2]!.adminUrl, '--token', 'one']);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /401 UNAUTHORIZED/);
    assert.match(run.stderr, /rolled back a/);
    assert.equal(proxies[0]!.faults.list().length, 0);
    assert.equal(proxies[2]!.faults.list().length, 0);
  });

  it('validates the file first, naming line and field, and exits 2 without calling any proxy', async () => {
    const file = dir.file('bad-fault.yaml', 'target: payments\nabort: { status: 42 }\nttl: 60s\n');
    const run = await runCli(['faults', 'add', file, '--admin', proxies[0]!.adminUrl, '--token', 'one']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /bad-fault\.yaml:2:18 abort\.status: abort status must be 200 to 599/);
  });

  it('reports an unreachable proxy once, with the reason, and exits 1', async () => {
    const run = await runCli(['faults', 'list', '--admin', 'http://127.0.0.1:1']);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /^http:\/\/127\.0\.0\.1:1: unreachable: connect ECONNREFUSED 127\.0\.0\.1:1$/m);
    assert.doesNotMatch(run.stderr, /UNREACHABLE/, 'not "unreachable UNREACHABLE"');
  });
});
