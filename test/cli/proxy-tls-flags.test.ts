import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, writeFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { CertificateAuthority } from '../../control/ca/authority.js';
import { scratchDir } from '../control/ca/test-pki.js';
import { runCli, spawnCli, waitForLine } from '../helpers/cli.js';
import { send } from '../helpers/http-client.js';
import { sameSerial, startMtlsUpstream, writeIdentity, type MtlsUpstream, type SeenByUpstream } from '../proxy/transport/outbound-fixture.js';

describe('faultmesh proxy --cert --key --ca --trust-domain', () => {
  const tmp = scratchDir();
  let ca: CertificateAuthority;
  let payments: MtlsUpstream;
  let meshFile: string;
  let files: { cert: string; key: string; ca: string };
  let child: ChildProcess | undefined;

  before(async () => {
    ca = await CertificateAuthority.init(tmp.sub('ca'), {});
    payments = await startMtlsUpstream(await ca.issue({ service: 'payments' }), ca.trustBundlePem);
    meshFile = tmp.sub('mesh.yaml');
    writeFileSync(meshFile, `services:\n  payments: { tls: mutual, instances: [ { id: pay-1, address: 127.0.0.1:${payments.port} } ] }\n`);
    mkdirSync(tmp.sub('id'));
    files = writeIdentity(tmp.sub('id'), await ca.issue({ service: 'checkout' }));
  });
  after(async () => {
    if (child && child.exitCode === null) {
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
    await payments?.close();
    tmp.remove();
  });

  const base = () => ['proxy', '--mesh', meshFile, '--listen', '127.0.0.1:0', '--admin', '127.0.0.1:0'];
  const id = () => ['--cert', files.cert, '--key', files.key, '--ca', files.ca];

  it('--check accepts good identity files', async () => {
    const run = await runCli([...base(), ...id(), '--service', 'checkout', '--check']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /^faultmesh: flags OK$/m);
  });

  const refusals: Array<{ name: string; flags: () => string[]; error: RegExp }> = [
    { name: 'one of the three files', flags: () => ['--cert', files.cert], error: /^faultmesh: --cert, --key and --ca go together: give --key and --ca too$/m },
    { name: 'a certificate for another service than --service', flags: () => [...id(), '--service', 'payments'], error: /^faultmesh: --cert is for service checkout, --service says payments$/m },
    { name: 'a missing file', flags: () => ['--cert', files.cert, '--key', tmp.sub('nope.pem'), '--ca', files.ca], error: /^faultmesh: --key .*nope\.pem: file not found$/m },
    { name: 'a certificate of another trust domain', flags: () => [...id(), '--trust-domain', 'shop.internal'], error: /^faultmesh: --cert .*cert\.pem: the certificate is of trust domain faultmesh\.local, not shop\.internal$/m },
    { name: 'a malformed trust domain', flags: () => [...id(), '--trust-domain', 'Shop'], error: /^faultmesh: --trust-domain: "Shop" is not a trust domain/m },
  ];
  for (const r of refusals) {
    it(`refuses ${r.name} with one line and exit 2, with --check and at start alike`, async () => {
      for (const check of [['--check'], []]) {
        const run = await runCli([...base(), ...r.flags(), ...check]);
        assert.equal(run.code, 2, run.stderr);
        assert.match(run.stderr, r.error);
        assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace');
      }
    });
  }

  it('takes its service from the certificate, and SIGHUP reloads the files: a new certificate for new connections, a broken one refused', async () => {
    child = spawnCli([...base(), ...id(), '--access-log', 'off']);
    const proxyUrl = (await waitForLine(child, /proxy on (http:\/\/\S+),/))[1]!;
    const call = async (path = '/') => (await send(proxyUrl, { path, headers: { host: 'payments', 'x-faultmesh-source': 'frontend' } })).json<SeenByUpstream>();
    const first = await call();
    assert.equal(first.peer, 'checkout');
    assert.equal(first.source, null);

    const renewed = await ca.issue({ service: 'checkout' });
    writeIdentity(tmp.sub('id'), renewed);
    const reloaded = waitForLine(child, /identity reloaded from .*cert\.pem: serial ([0-9A-F]+)/);
    child.kill('SIGHUP');
    assert.ok(sameSerial((await reloaded)[1]!, renewed.serial));
    await call('/close'); // ends the connection made before the reload
    assert.ok(sameSerial((await call()).serial, renewed.serial));

    writeFileSync(files.key, 'garbage\n');
    const refused = waitForLine(child, /identity reload refused, keeping serial ([0-9A-F]+) .*key\.pem: holds no PEM private key/);
    child.kill('SIGHUP');
    assert.ok(sameSerial((await refused)[1]!, renewed.serial));
    await call('/close');
    assert.ok(sameSerial((await call()).serial, renewed.serial), 'still the certificate in force');

    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    assert.deepEqual((await exited)[0], 0);
  });
});
