import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect, createServer, type AddressInfo, type Server } from 'node:net';
import type { ChildProcess } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { startControlPlane, type RunningControlPlane } from '../../control/control-plane.js';
import { startToxiproxyServer, type RunningToxiproxy } from '../../toxiproxy/server.js';
import { runCli, spawnCli, waitForLine } from '../helpers/cli.js';
import { send } from '../helpers/http-client.js';
import { tempDir } from '../helpers/mesh-fixture.js';
import { waitFor } from '../helpers/wait.js';
import { freePort } from '../toxiproxy/loopback.js';

/** Whether something accepts TCP connections on 127.0.0.1:port now. */
const accepts = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = connect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });

describe('faultmesh toxiproxy', () => {
  const dir = tempDir();
  let echo: Server;
  let upstream: string;
  const children: ChildProcess[] = [];
  before(async () => {
    echo = createServer((s) => s.pipe(s));
    await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
    upstream = `127.0.0.1:${(echo.address() as AddressInfo).port}`;
  });
  after(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await new Promise((resolve) => echo.close(resolve));
    dir.remove();
  });

  it('starts with --config, serves Toxiproxy\'s API and its proxies, and on SIGTERM closes them all and exits 0', async () => {
    const config = dir.file('toxiproxy.json', JSON.stringify([{ name: 'echo', listen: '127.0.0.1:0', upstream }]));
    const child = spawnCli(['toxiproxy', '--listen', '127.0.0.1:0', '--config', config]);
    children.push(child);
    const [, url] = await waitForLine(child, /toxiproxy API on (http:\/\/127\.0\.0\.1:\d+), 1 proxy from /);
    const proxy = (await send(url!, { path: '/proxies/echo' })).json<{ listen: string; enabled: boolean }>();
    assert.equal(proxy.enabled, true);
    const port = Number(proxy.listen.split(':')[1]);
    assert.ok(await accepts(port));
    const created = await send(url!, { method: 'POST', path: '/proxies', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: JSON.stringify({ name: 'curl', upstream }) });
    assert.equal(created.status, 201, 'a body sent as curl -d sends it (a form type) is read as JSON, as Toxiproxy does');
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const [code] = (await exited) as [number | null];
    assert.equal(code, 0);
    assert.equal(await accepts(port), false, 'the proxy listener is closed');
    assert.equal(await accepts(Number(new URL(url!).port)), false, 'the API is closed');
  });

  for (const [what, args, env, message] of [
    ['a --listen that is not host:port', ['--listen', 'nowhere'], {}, /^faultmesh: --listen: "nowhere" is not host:port/m],
    ['a non-loopback --listen without a token', ['--listen', '0.0.0.0:0'], {}, /^faultmesh: refusing to serve the Toxiproxy API on non-loopback address 0\.0\.0\.0 without a token/m],
    ['a blank --token', ['--token', ' '], {}, /^faultmesh: --token: the token is blank/m],
    ['a --host that is not a host name', ['--host', 'a b'], {}, /^faultmesh: --host: "a b" is not a host name/m],
    ['a flag it does not have', ['--upstream', '127.0.0.1:1'], {}, /^faultmesh: Unknown argument: upstream/m],
    ['a --control that is not a URL', ['--control', 'nowhere'], {}, /^faultmesh: --control: "nowhere" is not a URL/m],
    ['a --control-token without --control', ['--control-token', 't'], {}, /^faultmesh: --control-token is the control plane's token: give --control URL too$/m],
    ['a blank FAULTMESH_CONTROL_TOKEN with --control', ['--control', 'http://127.0.0.1:1'], { FAULTMESH_CONTROL_TOKEN: ' ' }, /^faultmesh: FAULTMESH_CONTROL_TOKEN is blank/m],
  ] as const) {
    it(`refuses ${what} with exit 2 and one line`, async () => {
      const r = await runCli(['toxiproxy', '--check', ...args], undefined, env);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, message);
      assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    });
  }

  it('refuses a bad --config with exit 2, each error at its file:line, and listens nowhere', async () => {
    const config = dir.file('bad.json', `[\n  { "name": "a", "upstream": "${upstream}" },\n  { "name": "b", "upstream": "${upstream}", "toxics": [{ "type": "lag" }] }\n]`);
    const r = await runCli(['toxiproxy', '--listen', '127.0.0.1:0', '--config', config]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /bad\.json:3:\d+ \[1\]\.toxics\[0\]\.type: must be one of /);
    assert.match(r.stderr, /^1 error$/m);
    assert.doesNotMatch(r.stderr, /toxiproxy API on/);
  });

  it('--check passes good flags and config without listening or connecting, and takes --host twice and the token from the environment', async () => {
    const config = dir.file('good.yaml', `- name: a\n  listen: 127.0.0.1:1\n  upstream: ${upstream}\n`);
    const r = await runCli(['toxiproxy', '--check', '--listen', '0.0.0.0:8474', '--host', 'a.internal', '--host', 'b.internal:8474', '--config', config, '--seed', '42', '--control', 'http://127.0.0.1:1,http://127.0.0.1:2'], undefined, { FAULTMESH_TOXIPROXY_TOKEN: 'secret' });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /^faultmesh: flags OK$/m);
  });

  describe('with --control', () => {
    let control: RunningControlPlane;
    let other: RunningToxiproxy;
    before(async () => {
      control = await startControlPlane({ listen: { host: '127.0.0.1', port: 0 }, log: () => {} });
      other = await startToxiproxyServer({ listen: { host: '127.0.0.1', port: 0 }, version: '0', control: { urls: [control.url] }, log: () => {} });
    });
    after(async () => {
      await other?.close();
      await control?.close();
    });
    const toxicsOn = async (url: string, proxy: string) => (await send(url, { path: `/proxies/${proxy}/toxics` })).json<unknown[]>();

    it('puts its --config into the control plane, and a toxic it made ends at its ttl on the others after it was killed', async () => {
      const config = dir.file('shared.yaml', `- name: shared\n  listen: 127.0.0.1:0\n  upstream: ${upstream}\n`);
      const child = spawnCli(['toxiproxy', '--listen', '127.0.0.1:0', '--config', config, '--control', control.url]);
      children.push(child);
      const [, url] = await waitForLine(child, /toxiproxy API on (http:\/\/127\.0\.0\.1:\d+), 1 proxy from .*; 1 proxy served from the control plane at http:\/\/127\.0\.0\.1:\d+$/m);
      await waitFor(async () => (await send(other.url, { path: '/proxies/shared' })).status === 200, 'the other server serves the --config proxy');
      const added = await send(url!, { method: 'POST', path: '/proxies/shared/toxics', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 'latency', ttl: '2s' }) });
      assert.equal(added.status, 200, added.text());
      await waitFor(async () => (await toxicsOn(other.url, 'shared')).length === 1, 'the other server has the toxic');
      const exited = once(child, 'exit');
      child.kill('SIGKILL');
      await exited;
      await waitFor(async () => (await toxicsOn(other.url, 'shared')).length === 0, 'the toxic ended at its lease, with its maker dead');
      const set = (await send(control.url, { path: '/v1/toxiproxy' })).json<{ proxies: { name: string; toxics: unknown[] }[] }>();
      assert.deepEqual(set.proxies.map((p) => [p.name, p.toxics.length]), [['shared', 0]], 'the proxy stays in the control plane, the toxic does not');
    });

    it('exits 1 with one line when the control plane cannot be reached at start, and listens nowhere', async () => {
      const port = await freePort();
      const r = await runCli(['toxiproxy', '--listen', '127.0.0.1:0', '--control', `http://127.0.0.1:${port}`]);
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, new RegExp(`^faultmesh: the control plane at http://127\\.0\\.0\\.1:${port} cannot be reached \\(ECONNREFUSED\\): start faultmesh control there, or point --control at it$`, 'm'));
      assert.doesNotMatch(r.stderr, /toxiproxy API on|\n\s+at /);
    });
  });
});
