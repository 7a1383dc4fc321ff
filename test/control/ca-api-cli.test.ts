import assert from 'node:assert/strict';
import { once } from 'node:events';
import { existsSync, readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createCsr, generateIdentityKey } from '../../proxy/identity/keys.js';
import { runCli, spawnCli, waitForLine } from '../helpers/cli.js';
import { send } from '../helpers/http-client.js';
import { WAIT_MS } from '../helpers/wait.js';
import { privateScalarOf, scratchDir } from './ca/test-pki.js';

describe('faultmesh control --ca-dir', () => {
  let dir: ReturnType<typeof scratchDir>;
  before(() => {
    dir = scratchDir();
  });
  after(() => dir?.remove());

  it('--check accepts a directory a root can be created in, without creating it', async () => {
    const run = await runCli(['control', '--ca-dir', dir.sub('new/ca'), '--cert-ttl', '2h', '--check']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /flags OK/);
    assert.equal(existsSync(dir.sub('new')), false);
  });

  const refused: Array<[string, () => string[], RegExp]> = [
    ['a half-copied CA directory', () => {
      mkdirSync(dir.sub('partial'));
      writeFileSync(dir.sub('partial/ca.crt'), 'x');
      return ['--ca-dir', dir.sub('partial')];
    }, /--ca-dir: .*partial: has ca\.crt but not ca\.key, trust\.pem/],
    ['--cert-ttl without --ca-dir', () => ['--cert-ttl', '1h'], /--cert-ttl is for the control plane's CA: give --ca-dir DIR too/],
    ['a --cert-ttl over 30d', () => ['--ca-dir', dir.sub('x'), '--cert-ttl', '40d'], /--cert-ttl: "40d" is longer than the 30d allowed here/],
    ['a bad --trust-domain', () => ['--ca-dir', dir.sub('x'), '--trust-domain', 'Bad!'], /--trust-domain: "Bad!" is not a trust domain/],
  ];
  for (const [what, args, message] of refused) {
    it(`refuses ${what} in one line, exit 2`, async () => {
      const run = await runCli(['control', ...args(), '--check']);
      assert.equal(run.code, 2, run.stderr);
      assert.match(run.stderr, message);
      assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
    });
  }

  it('creates a root on first start and issues certificates of --cert-ttl, never printing its key', async () => {
    const caDir = dir.sub('ca');
    const child = spawnCli(['control', '--listen', '127.0.0.1:0', '--ca-dir', caDir, '--cert-ttl', '2h', '--token', 'tok']);
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    try {
      const url = (await waitForLine(child, /control plane on (http:\/\/\S+)/))[1]!;
      assert.match(stderr, new RegExp(`CA CN=faultmesh root CA, O=faultmesh\\.local of trust domain faultmesh\\.local from ${caDir.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`));
      assert.equal(statSync(join(caDir, 'ca.key')).mode & 0o777, 0o600);
      const call = (method: string, path: string, body: unknown, bearer: string) =>
        send(url, { method, path, headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` }, body: JSON.stringify(body) });
      const created = (await call('POST', '/v1/join-tokens', { services: ['orders'] }, 'tok')).json<{ token: string }>();
      const csr = await createCsr((await generateIdentityKey()).cryptoKeyPair, 'orders', 'faultmesh.local');
      const issued = await call('POST', '/v1/certificates', { service: 'orders', csr }, created.token);
      assert.equal(issued.status, 200, issued.text());
      const lifetime = Date.parse(issued.json<{ notAfter: string }>().notAfter) - Date.now();
      assert.ok(lifetime > 2 * 3_600_000 - 60_000 && lifetime <= 2 * 3_600_000, `lives ${lifetime}ms`);
      assert.match(stderr, /issued a certificate for service orders \(serial [0-9a-f]+, join token [0-9a-f]{12}, valid until /);
      assert.ok(!stderr.includes(privateScalarOf(readFileSync(join(caDir, 'ca.key'), 'utf8'))));
      assert.ok(!stderr.includes(created.token.split('.')[2]!));
    } finally {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), WAIT_MS);
      await exited;
      clearTimeout(timer);
    }
  });
});
