import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startCaControl, CONTROL_TOKEN, type CaControl } from '../control/ca-api-fixture.js';
import { runCli } from '../helpers/cli.js';

describe('faultmesh ca token', () => {
  let control: CaControl;
  let bare: CaControl;
  const target = () => ['--control', control.url, '--token', CONTROL_TOKEN];
  before(async () => {
    control = await startCaControl({ realClock: true });
    bare = await startCaControl({ realClock: true, withCa: false });
  });
  after(async () => {
    await control?.stop();
    await bare?.stop();
  });

  let id = '';
  it('create prints the token alone on stdout and its id on stderr', async () => {
    const run = await runCli(['ca', 'token', 'create', '--service', 'orders', '--service', 'payments', '--ttl', '30d', ...target()]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^fmjt\.[0-9a-f]{12}\.[A-Za-z0-9_-]{43}\n$/);
    id = run.stdout.split('.')[1]!;
    assert.match(run.stderr, new RegExp(`created join token ${id} for orders, payments, expires 20`));
    const check = await control.call('POST', '/v1/certificates', { service: 'orders', csr: 'x' }, run.stdout.trim());
    assert.equal(check.json().code, 'CSR_INVALID', 'the printed token is one the control plane honours');
  });

  it('list shows ids, states and services, never a secret; --json too', async () => {
    const run = await runCli(['ca', 'token', 'list', ...target()]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^ID\s+STATE\s+SERVICES\s+CREATED\s+EXPIRES\n/);
    assert.match(run.stdout, new RegExp(`${id}\\s+active\\s+orders,payments\\s`));
    assert.ok(!run.stdout.includes('fmjt.'));
    const json = await runCli(['ca', 'token', 'list', '--json', ...target()]);
    assert.deepEqual(JSON.parse(json.stdout).map((t: { id: string; state: string }) => [t.id, t.state]), [[id, 'active']]);
  });

  it('revoke ends the token: list then says revoked', async () => {
    const run = await runCli(['ca', 'token', 'revoke', id, ...target()]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, new RegExp(`^revoked join token ${id} \\(orders, payments\\) at `));
    const listed = await control.call('GET', '/v1/join-tokens');
    assert.equal(listed.json<{ tokens: Array<{ state: string }> }>().tokens[0]!.state, 'revoked');
  });

  it('exits 1 with the control plane\'s one-line reason: no control token, no CA, no such token', async () => {
    const denied = await runCli(['ca', 'token', 'create', '--service', 'orders', '--control', control.url]);
    assert.equal(denied.code, 1);
    assert.match(denied.stderr, /401 UNAUTHORIZED .*control token/);
    assert.equal(denied.stdout, '');
    const noCa = await runCli(['ca', 'token', 'create', '--service', 'orders', '--control', bare.url, '--token', CONTROL_TOKEN]);
    assert.equal(noCa.code, 1);
    assert.match(noCa.stderr, /501 NO_CA .*--ca-dir/);
    const gone = await runCli(['ca', 'token', 'revoke', '0123456789ab', ...target()]);
    assert.equal(gone.code, 1);
    assert.match(gone.stderr, /404 JOIN_TOKEN_NOT_FOUND/);
  });

  it('refuses bad flags before sending anything (exit 2)', async () => {
    for (const [flags, message] of [
      [['--service', 'Orders!'], /--service: "Orders!" is not a service name/],
      [['--service', '*', '--service', 'orders'], /"\*" \(any service\) stands alone/],
      [['--service', 'orders', '--ttl', '400d'], /--ttl: "400d" is longer than the 365d allowed here/],
      [[], /--service: name a service/],
    ] as const) {
      const run = await runCli(['ca', 'token', 'create', ...flags, '--control', 'http://127.0.0.1:9']);
      assert.equal(run.code, 2, `${flags.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, message);
    }
  });
});
