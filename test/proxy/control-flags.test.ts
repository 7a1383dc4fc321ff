import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { runCli, spawnCli, waitForLine } from '../helpers/cli.js';
import { send } from '../helpers/http-client.js';
import { waitFor } from '../helpers/wait.js';
import { startStandInControl, type StandInControl } from './sources/control/stand-in-control.js';

describe('faultmesh proxy on a control plane (flags)', () => {
  let control: StandInControl;
  before(async () => (control = await startStandInControl({ token: 'tok' })));
  after(() => control.close());

  for (const [what, args, message] of [
    ['neither --mesh nor --control', ['proxy'], /give --mesh FILE, or --control URL/],
    ['--register without --control', ['proxy', '--mesh', 'x.yaml', '--service', 'payments', '--register', 'p-1=127.0.0.1:1'], /--register needs --control URL/],
    ['a --control that is not a URL', ['proxy', '--control', 'localhost:15100'], /--control: "localhost:15100" must be an http:\/\/ or https:\/\/ URL/],
    // It is the token the proxy sends to the control plane: the advice is not about keeping an admin API on loopback.
    ['a blank --control-token', ['proxy', '--control', 'http://127.0.0.1:1', '--control-token', ' '], /^faultmesh: --control-token is blank: give the token the control plane was started with, or none for one without a token$/m],
    ['a --register that is not id=host:port', ['proxy', '--control', 'http://127.0.0.1:1', '--service', 'payments', '--register', 'p-1@127.0.0.1'], /--register: "p-1@127\.0\.0\.1" is not id=host:port/],
  ] as const) {
    it(`exits 2 for ${what}, naming the flag`, async () => {
      const run = await runCli([...args, '--listen', '127.0.0.1:0', '--admin', '127.0.0.1:0', '--access-log', 'off']);
      assert.equal(run.code, 2, run.stderr);
      assert.match(run.stderr, message);
      assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace');
    });
  }

  it('says at start that --max-fault-ttl does not apply to faults the control plane pushes', async () => {
    const child = spawnCli(['proxy', '--control', control.url, '--control-token', 'tok', '--max-fault-ttl', '10m', '--listen', '127.0.0.1:0', '--admin', '127.0.0.1:0', '--access-log', 'off']);
    try {
      const [notice] = await waitForLine(child, /faultmesh: --max-fault-ttl .*\n/);
      assert.equal(notice, "faultmesh: --max-fault-ttl does not apply to faults pushed by the control plane; their leases are bounded by the control plane's --max-ttl\n");
      await waitForLine(child, /admin on http:\/\//);
      assert.equal(child.exitCode, null, 'the proxy runs all the same');
      child.kill('SIGTERM');
      await once(child, 'exit');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('connects with its id and token, registers its app with labels, and deregisters on SIGTERM', async () => {
    const child = spawnCli(
      ['proxy', '--control', control.url, '--service', 'payments', '--id', 'pay-sidecar', '--register', 'pay-7=127.0.0.1:18111', '--register', 'pay-8=127.0.0.1:18112', '--label', 'version=v2', '--zone', 'z1', '--listen', '127.0.0.1:0', '--admin', '127.0.0.1:0', '--access-log', 'off'],
      { FAULTMESH_CONTROL_TOKEN: 'tok' },
    );
    try {
      const [, adminUrl] = await waitForLine(child, /admin on (http:\/\/\S+)/);
      await waitFor(() => control.registrations.size === 2 && control.connects.length > 0, 'both instances registered and the stream is open');
      assert.deepEqual(control.registrations.get('payments/pay-7'), { service: 'payments', id: 'pay-7', address: '127.0.0.1:18111', zone: 'z1', labels: { version: 'v2' }, ttl: '10000ms' });
      const connect = control.connects.at(-1)!;
      assert.equal(connect.query.get('id'), 'pay-sidecar');
      assert.equal(connect.query.get('service'), 'payments');
      assert.equal(connect.authorization, 'Bearer tok');
      const health = (await send(adminUrl!, { path: '/healthz' })).json<{ ready: boolean; control: { connected: boolean; url: string } }>();
      assert.equal(health.control.url, control.url);
      assert.equal(health.ready, false, 'the stand-in has no mesh to give');
      child.kill('SIGTERM');
      const [code] = (await once(child, 'exit')) as [number];
      assert.equal(code, 0);
      assert.equal(control.registrations.size, 0, 'stopping the sidecar removed its registrations');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
