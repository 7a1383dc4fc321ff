import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/mesh-fixture.js';
import { holdsFor } from '../helpers/wait.js';

describe('faultmesh proxy --check', () => {
  const dir = tempDir();
  const good = dir.file('mesh.yaml', 'services:\n  payments:\n    instances:\n      - { id: pay-1, address: 127.0.0.1:18111 }\n');
  const bad = dir.file('bad.yaml', 'services: []\n');
  // Holds a port, so a proxy that listened on it would fail, and counts who connects, so one that connected would show.
  let taken: Server;
  let port: number;
  let connections = 0;

  before(async () => {
    taken = createServer((_req, res) => res.end());
    taken.on('connection', () => connections++);
    taken.listen(0, '127.0.0.1');
    await once(taken, 'listening');
    port = (taken.address() as AddressInfo).port;
  });
  after(async () => {
    taken.closeAllConnections();
    await new Promise((resolve) => taken.close(resolve));
    dir.remove();
  });

  it('accepts good flags and mesh file, says "flags OK" and exits 0 without listening: the same flags without --check fail on the taken port', async () => {
    const flags = ['proxy', '--mesh', good, '--listen', `127.0.0.1:${port}`, '--admin', '127.0.0.1:0'];
    const checked = await runCli([...flags, '--check']);
    assert.equal(checked.code, 0, checked.stderr);
    assert.match(checked.stderr, /^faultmesh: flags OK$/m);
    const started = await runCli(flags);
    assert.equal(started.code, 1, started.stderr);
    assert.match(started.stderr, /cannot listen/);
  });

  it('checks a control-plane sidecar with registrations without connecting to the control plane', async () => {
    const run = await runCli(
      ['proxy', '--control', `http://127.0.0.1:${port}`, '--service', 'checkout', '--id', 'checkout-7d9f8b6c5-x2k4z', '--register', 'checkout-7d9f8b6c5-x2k4z=10.1.2.3:8080', '--health-path', '/healthz', '--admin', '10.1.2.3:15000', '--check'],
      undefined,
      { FAULTMESH_CONTROL_TOKEN: 'control-secret', FAULTMESH_ADMIN_TOKEN: 'admin-secret' },
    );
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /faultmesh: flags OK/);
    await holdsFor(() => connections === 0, 300, 'nothing connects to the control plane');
  });

  const refused: { what: string; args: string[]; env?: NodeJS.ProcessEnv; stderr: RegExp }[] = [
    { what: 'a listen address that is not host:port', args: ['--mesh', good, '--listen', 'nowhere'], stderr: /--listen: "nowhere" is not host:port/ },
    { what: 'an admin API on a pod IP without a token', args: ['--mesh', good, '--admin', '10.1.2.3:15000'], env: { FAULTMESH_ADMIN_TOKEN: undefined }, stderr: /refusing to serve the admin API on non-loopback address 10\.1\.2\.3 without a token/ },
    { what: 'an invalid mesh file, named by file:line:column', args: ['--mesh', bad], stderr: /bad\.yaml:1:11 services:/ },
    { what: 'an invalid --mesh fallback of a control-plane proxy', args: ['--control', 'http://127.0.0.1:1', '--mesh', bad], stderr: /bad\.yaml:1:11 services:/ },
    { what: 'a --register without --service', args: ['--control', 'http://127.0.0.1:1', '--register', 'c-1=10.1.2.3:8080'], stderr: /--register needs --service NAME/ },
    { what: 'a --drain that is not a duration', args: ['--mesh', good, '--drain', 'soon'], stderr: /--drain:/ },
    { what: 'a headers timeout longer than the request timeout', args: ['--mesh', good, '--headers-timeout', '10m'], stderr: /--headers-timeout \(10m\) must not be longer than --request-timeout \(5m\)/ },
  ];
  for (const r of refused) {
    it(`refuses ${r.what} with exit 2, as a start would`, async () => {
      const run = await runCli(['proxy', ...r.args, '--check'], undefined, r.env);
      assert.equal(run.code, 2, run.stderr);
      assert.match(run.stderr, r.stderr);
      assert.doesNotMatch(run.stderr, /flags OK|\n\s+at /);
    });
  }

  it('refuses a wrong or missing flag value in one line naming the flag, exit 2, without the whole help', async () => {
    for (const [flags, message] of [
      [['--forwarder', 'axios'], /^faultmesh: --forwarder: "axios" is not a forwarder: undici or hpm$/m],
      [['--forwarder', 'HPM'], /\(write hpm\)$/m],
      [['--workers'], /^faultmesh: Not enough arguments following: workers \(faultmesh proxy --help lists its flags\)$/m],
      [['--forwarder'], /Not enough arguments following: forwarder/],
      [['--bogus-flag', 'x'], /^faultmesh: Unknown arguments?: .*bogus-flag/m],
    ] as const) {
      const r = await runCli(['proxy', '--mesh', good, ...flags, '--check']);
      assert.equal(r.code, 2, `${flags.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message);
      assert.doesNotMatch(r.stderr, /--listen/, `${flags.join(' ')}: no help dump`);
    }
  });
});

