import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { startCaControl, type CaControl } from '../../control/ca-api-fixture.js';
import { runCli, spawnCli, waitForLine } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/mesh-fixture.js';
import { waitFor, WAIT_MS } from '../../helpers/wait.js';

const MESH = 'services:\n  payments:\n    instances:\n      - { id: p1, address: 127.0.0.1:9 }\n';

describe('faultmesh proxy --join-token', () => {
  let control: CaControl;
  let dir: ReturnType<typeof tempDir>;
  let mesh: string;
  const proxy = (extra: string[]) => ['proxy', '--mesh', mesh, '--listen', '127.0.0.1:0', '--admin', '127.0.0.1:0', '--access-log', 'off', ...extra];
  before(async () => {
    control = await startCaControl({ realClock: true });
    dir = tempDir();
    mesh = dir.file('mesh.yaml', MESH);
  });
  after(async () => {
    await control?.stop();
    dir?.remove();
  });

  it('starts once the control plane issued its certificate (token from FAULTMESH_JOIN_TOKEN)', async () => {
    const { id, token } = await control.token(['orders']);
    const child = spawnCli(proxy(['--control', control.url, '--service', 'orders']), { FAULTMESH_JOIN_TOKEN: token });
    try {
      // One pattern: the certificate comes first, and only then does the proxy listen.
      const line = await waitForLine(child, /identity: got a certificate for spiffe:\/\/faultmesh\.local\/service\/orders from the control plane \(serial ([0-9a-f]+)[^\n]*\n[\s\S]*proxy on http:\/\/127\.0\.0\.1:\d+/);
      assert.ok(control.logs.some((l) => l.includes(`serial ${line[1]}, join token ${id}`)), control.logs.join('\n'));
    } finally {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), WAIT_MS);
      await exited;
      clearTimeout(timer);
    }
  });

  it('exits 1 with one line when its token was revoked, before listening', async () => {
    const { id, token } = await control.token(['orders']);
    assert.equal((await control.call('DELETE', `/v1/join-tokens/${id}`)).status, 200);
    const run = await runCli(proxy(['--control', control.url, '--service', 'orders', '--join-token', token]));
    assert.equal(run.code, 1, run.stderr);
    const lines = run.stderr.trim().split('\n');
    assert.equal(lines.length, 1, run.stderr);
    assert.match(lines[0]!, new RegExp(`^faultmesh: cannot start: the control plane refused a certificate for orders: .* 401 TOKEN_REVOKED: join token ${id} was revoked at `));
    assert.ok(!run.stderr.includes(token.split('.')[2]!), 'the secret is not printed');
    assert.ok(!/proxy on/.test(run.stderr));
  });

  it('exits 1 with one line when no control plane answers within --enroll-timeout (it used to exit 13, silently)', async () => {
    // A port that was just free: nothing answers there.
    const { createServer } = await import('node:net');
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const run = await runCli(proxy(['--control', `http://127.0.0.1:${port}`, '--service', 'orders', '--join-token', 'fmjt.0123456789ab.x', '--enroll-timeout', '2s']));
    assert.equal(run.code, 1, run.stderr);
    const lines = run.stderr.trim().split('\n');
    assert.equal(lines.length, 1, run.stderr);
    assert.match(lines[0]!, /^faultmesh: cannot start: no certificate from the control plane within 2s: /);
  });

  const refused: Array<[string, string[], Record<string, string>, RegExp]> = [
    ['without --control', ['--service', 'orders', '--join-token', 'fmjt.0123456789ab.x'], {}, /--join-token needs --control URL/],
    ['without --service', ['--control', 'http://127.0.0.1:9', '--join-token', 'fmjt.0123456789ab.x'], {}, /--join-token needs --service NAME/],
    ['blank in the environment', ['--control', 'http://127.0.0.1:9', '--service', 'orders'], { FAULTMESH_JOIN_TOKEN: ' ' }, /FAULTMESH_JOIN_TOKEN is blank/],
  ];
  for (const [what, flags, env, message] of refused) {
    it(`refuses --join-token ${what} (exit 2, one line)`, async () => {
      const run = await runCli(proxy([...flags, '--check']), undefined, env);
      assert.equal(run.code, 2, run.stderr);
      assert.match(run.stderr, message);
      assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
    });
  }

  it('gets no certificate and starts nothing while the token allows another service', async () => {
    const { token } = await control.token(['payments']);
    const run = await runCli(proxy(['--control', control.url, '--service', 'orders', '--join-token', token]));
    assert.equal(run.code, 1);
    assert.match(run.stderr, /403 SERVICE_NOT_ALLOWED: join token [0-9a-f]{12} may be issued certificates for payments, not for orders/);
    await waitFor(() => control.logs.some((l) => l.includes('refused a certificate for service orders')), 'the refusal is logged by the control plane');
  });
});
