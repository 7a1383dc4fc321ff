import assert from 'node:assert/strict';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { EchoUpstream } from '../../demo/echo-upstream.js';
import { runCli, spawnCli, waitForLine } from '../helpers/cli.js';
import { send } from '../helpers/http-client.js';
import { meshYaml, startUpstreams, tempDir } from '../helpers/mesh-fixture.js';

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
    assert.match(run.stdout, /mesh\.yaml: ok \(1 services\)/);
  });

  it('validate reports every error with file, line and field, and exits 2', async () => {
    const bad = dir.file('bad.yaml', 'services:\n  pay:\n    loadBalancer: fastest\n    instances:\n      - { id: p1, address: nowhere }\n');
    const run = await runCli(['validate', bad]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /bad\.yaml:3:19 services\.pay\.loadBalancer: loadBalancer must be round-robin or least-request/);
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

      const slow = send(proxyUrl!, { path: '/?delay=700', headers: { host: 'payments' } });
      await new Promise((r) => setTimeout(r, 200));
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
