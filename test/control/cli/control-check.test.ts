import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/mesh-fixture.js';
import { makeCertificates, opensslInstalled, type TestCertificates } from '../../helpers/tls-certs.js';

// Nothing here listens or connects: --check exits before both, so etcd://127.0.0.1:1 is never dialled.
const ETCD = ['--store', 'etcd://127.0.0.1:1'];

describe('faultmesh control --check passes only what a start accepts', () => {
  for (const [what, args, message] of [
    ['a non-loopback --listen without a token', ['--listen', '0.0.0.0:27111'], /refusing to serve the control plane on non-loopback address 0\.0\.0\.0 without a token/],
    ['--etcd-prefix with the default memory store', ['--etcd-prefix', '/x/'], /--etcd-prefix needs --store etcd:\/\/host:port/],
    ['--etcd-prefix with --store memory', ['--store', 'memory', '--etcd-prefix', '/x/'], /--etcd-prefix needs --store etcd:\/\/host:port/],
  ] as const) {
    it(`refuses ${what} with exit 2, as the start does`, async () => {
      for (const check of [['--check'], []]) {
        const r = await runCli(['control', ...args, ...check]);
        assert.equal(r.code, 2, `${check.join(' ') || 'start'}: ${r.stderr}`);
        assert.match(r.stderr, message);
        assert.doesNotMatch(r.stderr, /flags OK|\n\s+at /, 'neither passed nor a stack trace');
      }
    });
  }

  it('accepts a non-loopback --listen with a token, and etcd without --etcd-prefix (its default)', async () => {
    const exposed = await runCli(['control', '--listen', '0.0.0.0:27111', '--token', 'tok', '--check']);
    assert.equal(exposed.code, 0, exposed.stderr);
    assert.match(exposed.stderr, /flags OK/);
    const etcd = await runCli(['control', ...ETCD, '--check']);
    assert.equal(etcd.code, 0, etcd.stderr);
  });

  it('says the --etcd-prefix default in --help', async () => {
    const help = await runCli(['control', '--help']);
    // yargs wraps the description; the default is on its last line.
    assert.match(help.stdout, /--etcd-prefix[^-]*\[default: "\/faultmesh\/"\]/);
  });
});

describe('faultmesh control --check reads the etcd TLS files as what their flag names', { skip: !opensslInstalled() && 'openssl is not installed' }, () => {
  const dir = tempDir();
  let tls: TestCertificates;
  let notPem: string;
  before(() => {
    tls = makeCertificates(dir.path);
    notPem = dir.file('not-pem.txt', 'this is not a certificate\n');
  });
  after(() => dir.remove());

  it('accepts a CA, a certificate and its key', async () => {
    const r = await runCli(['control', ...ETCD, '--etcd-ca', tls.ca, '--etcd-cert', tls.cert, '--etcd-key', tls.key, '--check']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /flags OK/);
  });

  for (const [flag, bad] of [
    ['--etcd-ca', (t: TestCertificates, junk: string) => ['--etcd-ca', junk, '--etcd-cert', t.cert, '--etcd-key', t.key]],
    ['--etcd-cert', (t: TestCertificates, junk: string) => ['--etcd-ca', t.ca, '--etcd-cert', junk, '--etcd-key', t.key]],
    ['--etcd-key', (t: TestCertificates, junk: string) => ['--etcd-ca', t.ca, '--etcd-cert', t.cert, '--etcd-key', junk]],
  ] as const) {
    it(`refuses a ${flag} file that is not PEM in one line naming the flag and the file (exit 2)`, async () => {
      const r = await runCli(['control', ...ETCD, ...bad(tls, notPem), '--check']);
      assert.equal(r.code, 2, r.stderr);
      const kind = flag === '--etcd-key' ? 'private key' : 'certificate';
      assert.match(r.stderr, new RegExp(`^faultmesh: ${flag}: ${notPem.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not a PEM ${kind}`));
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    });
  }

  it('refuses a certificate given as --etcd-key', async () => {
    const r = await runCli(['control', ...ETCD, '--etcd-ca', tls.ca, '--etcd-cert', tls.cert, '--etcd-key', tls.cert, '--check']);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /--etcd-key: .* is not a PEM private key/);
  });
});
