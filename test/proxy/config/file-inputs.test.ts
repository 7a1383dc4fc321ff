import assert from 'node:assert/strict';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { EchoUpstream } from '../../../demo/echo-upstream.js';
import { ConfigError, formatIssue } from '../../../proxy/config/config-error.js';
import { loadMeshFile, parseMesh } from '../../../proxy/config/load-mesh.js';
import { MAX_FILE_BYTES } from '../../../proxy/config/text-file.js';
import type { RunningProxy } from '../../../proxy/proxy-app.js';
import { loadExperiment } from '../../../runner/experiment/load-experiment.js';
import { runCli, spawnCli, waitForLine } from '../../helpers/cli.js';
import { send } from '../../helpers/http-client.js';
import { meshYaml, startTestProxy, startUpstreams, tempDir } from '../../helpers/mesh-fixture.js';

const dir = tempDir();
after(() => dir.remove());

function issuesOf(load: () => unknown): string[] {
  try {
    load();
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected ConfigError, got ${err instanceof Error ? err.stack : String(err)}`);
    return err.issues.map(formatIssue);
  }
  assert.fail('the file was accepted');
}

/** `n` services sharing one policy through an anchor, as a large mesh file would. */
function anchoredMesh(n: number): string {
  const lines = ['services:', '  base:', '    policy: &std { timeout: 2s, retries: { attempts: 1 } }'];
  for (let i = 0; i < n; i++) lines.push(`  s${i}:`, '    policy: *std', `    instances: [{ id: a${i}, address: "127.0.0.1:${1000 + i}" }]`);
  return `${lines.join('\n')}\n`;
}

/** Ten levels of ten aliases each: 10^10 copies once expanded. */
const ALIAS_BOMB = `services: {}\nx0: &x0 [a, a, a, a, a, a, a, a, a, a]\n${Array.from({ length: 9 }, (_, i) => `x${i + 1}: &x${i + 1} [${Array(10).fill(`*x${i}`).join(', ')}]`).join('\n')}\n`;

describe('reading input files', () => {
  it('allows normal anchor reuse: 101 and 500 services sharing one policy', () => {
    assert.equal(Object.keys(parseMesh(anchoredMesh(101)).services).length, 102);
    const big = parseMesh(anchoredMesh(500));
    assert.equal(Object.keys(big.services).length, 501);
    assert.equal(big.services.s499!.policy.timeout, 2000);
  });

  it('refuses an alias bomb with its line and column, not a crash', () => {
    const issues = issuesOf(() => parseMesh(ALIAS_BOMB, 'bomb.yaml'));
    assert.equal(issues.length, 1);
    assert.match(issues[0]!, /^bomb\.yaml:3:\d+ aliases expand to more than 10000 copies/);
  });

  const encodings: Array<[string, Buffer, RegExp]> = [
    ['UTF-16 with a byte-order mark', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('services: {}\n', 'utf16le')]), /:1:1 the file is UTF-16 \(little-endian\) text; save it as UTF-8/],
    ['big-endian UTF-16 with a byte-order mark', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from('services: {}\n', 'utf16le').swap16()]), /:1:1 the file is UTF-16 \(big-endian\) text/],
    ['UTF-16 without a byte-order mark', Buffer.from('services: {}\n', 'utf16le'), /:1:1 the file is UTF-16 \(little-endian\) text/],
    ['UTF-32 with a byte-order mark', Buffer.from([0xff, 0xfe, 0, 0, 0x73, 0, 0, 0, 0x3a, 0, 0, 0]), /:1:1 the file is UTF-32 \(little-endian\) text/],
    ['UTF-32 without a byte-order mark', Buffer.from([0, 0, 0, 0x73, 0, 0, 0, 0x3a]), /:1:1 the file is UTF-32 \(big-endian\) text/],
    ['a binary file', Buffer.from('services:\n  a: {}\n\u0000\u0001\u0002'), /:3:1 this is a binary file/],
    ['Latin-1 text', Buffer.from('services:\n  caf\xe9: {}\n', 'latin1'), /:2:6 byte 0xe9 is not UTF-8; save the file as UTF-8/],
    ['lists nested thousands deep', Buffer.from(`services: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`), /:1:\d+ the file nests too deeply to read/],
  ];
  for (const [name, bytes, expected] of encodings) {
    it(`refuses ${name}, saying what it is`, () => {
      const file = dir.file(`enc-${name.replace(/\W+/g, '-')}.yaml`, '');
      writeFileSync(file, bytes);
      const issues = issuesOf(() => loadMeshFile(file));
      assert.ok(issues.some((i) => i.startsWith(file) && expected.test(i)), issues.join('\n'));
    });
  }

  it('reads UTF-8 with a byte-order mark, and a real U+FFFD, as text', () => {
    const file = dir.file('bom.yaml', '');
    writeFileSync(file, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('services:\n  a:\n    instances: [{ id: a1, address: "127.0.0.1:1", labels: { note: "\uFFFD" } }]\n')]));
    assert.equal(loadMeshFile(file).services.a!.instances[0]!.labels.note, '\uFFFD');
  });

  it(`refuses a file over ${MAX_FILE_BYTES / 1024 / 1024} MiB before parsing it`, () => {
    const activity = '  - { type: action, name: a, provider: { type: process, path: ls } }\n';
    const file = dir.file('huge.yaml', `title: t\nmethod:\n${activity.repeat(Math.ceil(MAX_FILE_BYTES / activity.length) + 1)}`);
    const issues = issuesOf(() => loadExperiment(file));
    assert.deepEqual(issues, [`${file}: the file is larger than 1 MiB, the most faultmesh reads; split it, or remove what it does not need`]);
  });

  it('refuses a directory by saying so', () => {
    assert.deepEqual(issuesOf(() => loadMeshFile(dir.path)), [`${dir.path}: this is a directory, not a file`]);
  });

  it('every command that reads a file answers an alias bomb with file:line:column and exit 2, no stack trace', async () => {
    const bomb = dir.file('bomb.yaml', ALIAS_BOMB);
    const exp = dir.file('bomb-exp.yaml', `title: t\nmethod:\n  - { type: action, name: a, provider: { type: process, path: ls } }\n${ALIAS_BOMB.replace('services: {}\n', '')}`);
    const rules = dir.file('bomb-rules.yaml', `- { target: a, reset: true, ttl: 1s }\n${ALIAS_BOMB.replace(/^services: \{\}\n/, '').replace(/^x(\d+): /gm, '- ')}`);
    const runs: Array<[string[], string]> = [
      [['validate', bomb], bomb],
      [['run', exp, '--dry-run'], exp],
      [['faults', 'add', rules, '--admin', 'http://127.0.0.1:9'], rules],
      [['proxy', '--mesh', bomb, '--listen', '127.0.0.1:0', '--admin', '127.0.0.1:0'], bomb],
    ];
    for (const [args, file] of runs) {
      const run = await runCli(args);
      assert.equal(run.code, 2, `${args[0]}: ${run.stderr}`);
      assert.ok(run.stderr.includes(`${file}:`) && /aliases expand to more than 10000 copies/.test(run.stderr), `${args[0]}: ${run.stderr}`);
      assert.doesNotMatch(run.stderr, /\n\s+at /, `${args[0]} printed a stack trace`);
    }
  });
});

describe('reloading a mesh file the proxy cannot use', () => {
  const specs = [{ service: 'payments', id: 'pay-1' }];
  let upstreams: Map<string, EchoUpstream>;
  let meshFile: string;
  let proxy: RunningProxy;
  before(async () => {
    upstreams = await startUpstreams(specs);
    meshFile = dir.file('reload-mesh.yaml', meshYaml(specs, upstreams));
    proxy = await startTestProxy(meshFile);
  });
  after(async () => {
    await proxy.close(500);
    for (const u of upstreams.values()) await u.close();
  });

  const reload = () => send(proxy.adminUrl, { method: 'POST', path: '/v1/reload', headers: { 'content-type': 'application/json' }, body: '{}' });

  it('POST /v1/reload refuses an alias bomb with 400, keeps serving, then takes 101 anchored services', async () => {
    writeFileSync(meshFile, ALIAS_BOMB);
    const refused = await reload();
    assert.equal(refused.status, 400, refused.text());
    assert.match(JSON.stringify(refused.json()), /aliases expand to more than 10000 copies/);
    assert.equal((await send(proxy.proxyUrl, { headers: { host: 'payments' } })).status, 200, 'the running mesh stays');

    writeFileSync(meshFile, `${meshYaml(specs, upstreams)}${anchoredMesh(101).replace('services:\n', '')}`);
    const accepted = await reload();
    assert.equal(accepted.status, 200, accepted.text());
    assert.equal(accepted.json().services, 103);
  });

  it('SIGHUP with an alias bomb leaves the proxy running, with its faults', async () => {
    const file = dir.file('hup-mesh.yaml', meshYaml(specs, upstreams));
    const child = spawnCli(['proxy', '--mesh', file, '--listen', '127.0.0.1:0', '--admin', '127.0.0.1:0', '--access-log', 'off']);
    try {
      const [, proxyUrl, adminUrl] = await waitForLine(child, /proxy on (http:\/\/[^,]+), admin on (http:\/\/\S+)/);
      const added = await send(adminUrl!, { method: 'POST', path: '/v1/faults', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: 'kept', target: 'payments', abort: { status: 503 }, ttl: '60s' }) });
      assert.equal(added.status, 201, added.text());
      writeFileSync(file, ALIAS_BOMB);
      child.kill('SIGHUP');
      await waitForLine(child, /mesh file rejected, keeping the running configuration:\n.*aliases expand to more than 10000 copies/);
      assert.equal(child.exitCode, null, 'still running');
      assert.equal((await send(proxyUrl!, { headers: { host: 'payments' } })).status, 503, 'the fault still holds');
    } finally {
      if (child.exitCode === null) {
        child.kill('SIGKILL');
        await once(child, 'exit');
      }
    }
  });
});
