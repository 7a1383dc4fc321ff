import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { get } from 'node:https';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ETCD_BINARY, etcdInstalled } from '../../../bench/etcd-cluster.js';
import { spawnCli, waitForLine } from '../../helpers/cli.js';
import { send } from '../../helpers/http-client.js';
import { tempDir } from '../../helpers/mesh-fixture.js';
import { makeCertificates, opensslInstalled, type TestCertificates } from '../../helpers/tls-certs.js';
import { waitFor } from '../../helpers/wait.js';

async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(Array.from({ length: n }, async () => {
    const s = createServer();
    s.listen(0, '127.0.0.1');
    await once(s, 'listening');
    return s;
  }));
  const ports = servers.map((s) => (s.address() as AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

/** etcd's /health over https, trusting only the test CA. */
const healthy = (port: number, ca: Buffer) =>
  new Promise<boolean>((resolve) => {
    const req = get({ host: '127.0.0.1', port, path: '/health', ca, timeout: 1_000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => req.destroy());
  });

describe('faultmesh control on an etcd that serves clients over TLS', { skip: (!etcdInstalled() && 'etcd is not installed (apt-get install etcd-server)') || (!opensslInstalled() && 'openssl is not installed') }, () => {
  const dir = tempDir();
  let etcd: ChildProcess | undefined;
  let clientPort = 0;
  let tls: TestCertificates;

  before(async () => {
    tls = makeCertificates(dir.path);
    const [client, peer] = await freePorts(2);
    clientPort = client!;
    etcd = spawn(ETCD_BINARY, [
      '--name', 'tls', '--data-dir', join(dir.path, 'data'),
      '--listen-client-urls', `https://127.0.0.1:${client}`, '--advertise-client-urls', `https://127.0.0.1:${client}`,
      '--listen-peer-urls', `http://127.0.0.1:${peer}`, '--initial-advertise-peer-urls', `http://127.0.0.1:${peer}`,
      '--initial-cluster', `tls=http://127.0.0.1:${peer}`,
      '--cert-file', tls.cert, '--key-file', tls.key, '--log-level', 'error',
    ], { stdio: 'ignore' });
    const ca = readFileSync(tls.ca);
    await waitFor(() => {
      if (etcd!.exitCode !== null) throw new Error(`etcd exited with ${etcd!.exitCode} while starting`);
      return healthy(clientPort, ca);
    }, 'etcd answers /health over https');
  });
  after(async () => {
    if (etcd && etcd.exitCode === null && etcd.signalCode === null) {
      const exited = once(etcd, 'exit');
      etcd.kill('SIGKILL');
      await exited;
    }
    dir.remove();
  });

  it('starts with --etcd-ca on an IP endpoint, serves /healthz 200, and prints no TLS server-name warning', async () => {
    const child = spawnCli(['control', '--listen', '127.0.0.1:0', '--store', `etcd://127.0.0.1:${clientPort}`, '--etcd-ca', tls.ca, '--etcd-prefix', '/faultmesh/tls/']);
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    try {
      const [, url] = await waitForLine(child, /control plane on (http:\/\/\S+)/);
      const health = await send(url!, { path: '/healthz' });
      assert.equal(health.status, 200, health.text());
      // Healthy means this replica reaches etcd now (it probes it), so through TLS.
      assert.equal(health.json().status, 'ok');
      child.kill('SIGTERM');
      const [code] = await once(child, 'exit');
      assert.equal(code, 0, stderr);
      // Node's DEP0123 ("Setting the TLS ServerName to an IP address…") came with every replica's first connection.
      assert.doesNotMatch(stderr, /Warning|DEP0123/, stderr);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });
});
