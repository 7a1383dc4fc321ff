import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { runCli, spawnCli, waitForLine } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/mesh-fixture.js';
import { send } from '../../helpers/http-client.js';
import { MESH, startTestControl, type TestControl } from '../control-fixture.js';

describe('faultmesh control, mesh and status', () => {
  const dir = tempDir();
  let control: TestControl;
  before(async () => {
    control = await startTestControl();
  });
  after(async () => {
    await control.stop();
    dir.remove();
  });

  it('starts the control plane on loopback, says where, and stops cleanly on SIGTERM', async () => {
    const child = spawnCli(['control', '--listen', '127.0.0.1:0']);
    try {
      const [, url] = await waitForLine(child, /control plane on (http:\/\/\S+)/);
      const health = await send(url!, { path: '/healthz' });
      assert.equal(health.status, 200);
      assert.equal(health.json().role, 'control');
      child.kill('SIGTERM');
      const [code] = await once(child, 'exit');
      assert.equal(code, 0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('refuses a non-loopback address without a token (exit 2)', async () => {
    const r = await runCli(['control', '--listen', '0.0.0.0:0']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /refusing to serve the control plane on non-loopback address 0\.0\.0\.0 without a token/);
  });

  it('refuses a blank --token (exit 2), naming the control plane, not the admin API', async () => {
    const r = await runCli(['control', '--listen', '127.0.0.1:0', '--token', '  ']);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /--token is blank: give a real token, or none to keep the control plane on loopback without one/);
    assert.doesNotMatch(r.stderr, /admin API|\n\s+at /, 'no admin wording, no stack trace');
  });

  it('refuses to apply an invalid mesh file with file:line:column (exit 2), and the control plane keeps none', async () => {
    const bad = dir.file('bad.yaml', 'services:\n  payments:\n    instances:\n      - { id: p1, address: nowhere }\n');
    const r = await runCli(['mesh', 'apply', bad, '--control', control.url]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, new RegExp(`${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:4:28 services\\.payments\\.instances\\[0\\]\\.address: "nowhere" is not host:port`));
    assert.equal((await control.call('GET', '/v1/mesh')).status, 404);
  });

  it('applies a mesh file, prints it back, and shows what another file would change', async () => {
    const good = dir.file('mesh.yaml', MESH);
    const applied = await runCli(['mesh', 'apply', good, '--control', control.url]);
    assert.equal(applied.code, 0, applied.stderr);
    const version = /applied .*mesh\.yaml as mesh version (\d+)/.exec(applied.stdout)?.[1];
    assert.ok(version, applied.stdout);
    assert.match(applied.stderr, /mesh\.yaml:8:\d+ services\.payments\.routes\[0\]\.to\[1\]\.labels: warning: no instance has labels/);
    const got = await runCli(['mesh', 'get', '--control', control.url]);
    assert.equal(got.stdout, MESH);
    assert.match(got.stderr, new RegExp(`^# mesh version ${version}, applied \\S+ from \\S*mesh\\.yaml\n$`), 'the version --expect-version takes, on stderr');
    const gotJson = JSON.parse((await runCli(['mesh', 'get', '--json', '--control', control.url])).stdout);
    assert.deepEqual([gotJson.version, gotJson.text], [Number(version), MESH]);
    const again = await runCli(['mesh', 'apply', good, '--control', control.url]);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, new RegExp(`unchanged: .*mesh\\.yaml is what mesh version ${version} holds; nothing written or pushed`));
    const changed = dir.file('changed.yaml', MESH.replace('weight: 90', 'weight: 80'));
    const diff = await runCli(['mesh', 'diff', changed, '--control', control.url]);
    assert.equal(diff.code, 3, `changes exit 3: ${diff.stderr}`);
    assert.match(diff.stdout, /^--- control plane \(version \d+\)\n\+\+\+ .*changed\.yaml\n@@ /);
    assert.match(diff.stdout, /\n-          - \{ labels: \{ version: v1 \}, weight: 90 \}\n\+          - \{ labels: \{ version: v1 \}, weight: 80 \}\n/);
  });

  it('prints the status summary on top, and the JSON with --json', async () => {
    const r = await runCli(['status', '--control', control.url]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout.split('\n')[0]!, /^no proxies connected \(version \d+, mesh version \d+\)$/);
    assert.match(r.stdout, /payments\s+p1\s+127\.0\.0\.1:9301/);
    const json = await runCli(['status', '--json', '--control', control.url]);
    assert.equal(JSON.parse(json.stdout).services[0].name, 'payments');
  });
});
