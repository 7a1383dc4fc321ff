import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { CertificateAuthority, type IssuedIdentity } from '../../../control/ca/authority.js';
import type { RegistrationOptions } from '../../../proxy/sources/control/registration-client.js';
import { registeredAtInbound } from '../../../proxy/transport/inbound-registration.js';
import type { InboundOptions } from '../../../proxy/transport/inbound-server.js';
import { scratchDir } from '../../control/ca/test-pki.js';
import { spawnCli, waitForLine } from '../../helpers/cli.js';
import { waitFor } from '../../helpers/wait.js';
import { startStandInControl, type StandInControl } from '../sources/control/stand-in-control.js';
import { httpsCall } from './inbound-fixture.js';
import { writeIdentity } from './outbound-fixture.js';

/** An app that answers every request with its own id, and remembers the paths it was asked. */
async function startApp(id: string): Promise<{ server: Server; port: number; paths: string[] }> {
  const paths: string[] = [];
  const server = createServer((req, res) => {
    paths.push(req.url ?? '');
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ id, source: req.headers['x-faultmesh-source'] ?? null }));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, port: (server.address() as AddressInfo).port, paths };
}

describe('registering each instance at its own listener', () => {
  const listener = (instance: string, appPort: number): InboundOptions => ({ listen: { host: '127.0.0.1', port: 0 }, app: { host: '127.0.0.1', port: appPort }, mode: 'mutual', instance });
  const at = (port: number): AddressInfo => ({ address: '127.0.0.1', family: 'IPv4', port });
  const registration = (ids: string[]): RegistrationOptions => ({ urls: ['http://127.0.0.1:1'], service: 'payments', ttlMs: 10_000, instances: ids.map((id) => ({ id, address: '127.0.0.1:0' })) });

  it("gives every instance its own listener's real address, and checks its health on its own app", () => {
    const out = registeredAtInbound(registration(['pay-1', 'pay-2']), [
      { options: listener('pay-2', 18112), at: at(40002) },
      { options: listener('pay-1', 18111), at: at(40001) },
    ]);
    assert.deepEqual(
      out.instances.map((i) => [i.id, i.address, i.healthAddress]),
      [
        ['pay-1', '127.0.0.1:40001', '127.0.0.1:18111'],
        ['pay-2', '127.0.0.1:40002', '127.0.0.1:18112'],
      ],
    );
  });

  it('gives every id the one listener of the one-app form', () => {
    const { instance: _, ...unnamed } = listener('x', 8080);
    const out = registeredAtInbound(registration(['a', 'b']), [{ options: unnamed, at: at(40000) }]);
    assert.deepEqual(out.instances.map((i) => i.address), ['127.0.0.1:40000', '127.0.0.1:40000']);
  });
});

describe('one sidecar in front of two apps (--register ID=APP,inbound=HOST:0)', () => {
  const tmp = scratchDir();
  let ca: CertificateAuthority;
  let checkout: IssuedIdentity;
  let files: { cert: string; key: string; ca: string };
  let meshFile: string;
  const apps: Array<Awaited<ReturnType<typeof startApp>>> = [];
  let control: StandInControl;
  let child: ChildProcess | undefined;

  before(async () => {
    ca = await CertificateAuthority.init(tmp.sub('ca'));
    checkout = await ca.issue({ service: 'checkout' });
    mkdirSync(tmp.sub('id'));
    files = writeIdentity(tmp.sub('id'), await ca.issue({ service: 'payments' }));
    meshFile = tmp.sub('mesh.yaml');
    writeFileSync(meshFile, 'services:\n  payments:\n    tls: mutual\n    instances: []\n');
    apps.push(await startApp('pay-1'), await startApp('pay-2'));
    control = await startStandInControl({});
  });
  after(async () => {
    if (child && child.exitCode === null) {
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
    await control.close();
    for (const app of apps) {
      app.server.closeAllConnections();
      await new Promise((resolve) => app.server.close(resolve));
    }
    tmp.remove();
  });

  it('reaches each app through its own listener, registers both at their real addresses, and deregisters both on SIGTERM', async () => {
    const [one, two] = apps as [(typeof apps)[0], (typeof apps)[0]];
    child = spawnCli([
      'proxy', '--mesh', meshFile, '--listen', '127.0.0.1:0', '--admin', '127.0.0.1:0', '--access-log', 'off',
      '--cert', files.cert, '--key', files.key, '--ca', files.ca,
      '--control', control.url, '--service', 'payments', '--health-path', '/healthz',
      '--register', `pay-1=127.0.0.1:${one.port},zone=z1,label.version=v1,inbound=127.0.0.1:0`,
      '--register', `pay-2=127.0.0.1:${two.port},inbound=127.0.0.1:0`,
    ]);
    const line = /inbound pay-1 on https:\/\/127\.0\.0\.1:(\d+) -> app 127\.0\.0\.1:(\d+), inbound pay-2 on https:\/\/127\.0\.0\.1:(\d+) -> app 127\.0\.0\.1:(\d+), admin on (http:\/\/\S+)\n/;
    const [, port1, app1, port2, app2, adminUrl] = (await waitForLine(child, line)) as unknown as string[];
    assert.deepEqual([Number(app1), Number(app2)], [one.port, two.port], 'the start line names each listener with its app');
    assert.notEqual(port1, port2);

    for (const [id, port] of [['pay-1', port1], ['pay-2', port2]] as const) {
      const reply = await httpsCall(Number(port), ca.trustBundlePem, checkout, '/api/charge', {});
      assert.equal(reply.status, 200, reply.body);
      assert.deepEqual(JSON.parse(reply.body), { id, source: 'checkout' }, `the listener of ${id} reaches ${id}`);
    }
    assert.deepEqual([one.paths.filter((p) => p === '/api/charge').length, two.paths.filter((p) => p === '/api/charge').length], [1, 1], 'each app got only its own call');

    await waitFor(() => control.registrations.has('payments/pay-1') && control.registrations.has('payments/pay-2'), 'both instances are registered');
    const reg1 = control.registrations.get('payments/pay-1')!;
    assert.equal(reg1.address, `127.0.0.1:${port1}`);
    assert.equal(reg1.zone, 'z1');
    assert.deepEqual(reg1.labels, { version: 'v1' });
    assert.equal(control.registrations.get('payments/pay-2')!.address, `127.0.0.1:${port2}`);
    assert.ok(one.paths.includes('/healthz') && two.paths.includes('/healthz'), 'each health check went to its own app');

    // Counted as each call closes on the sidecar, which may be just after the caller has read its answer.
    const counted = (metrics: string, id: string) => new RegExp(`faultmesh_inbound_requests_total\\{[^}]*source="checkout"[^}]*instance="${id}"[^}]*\\} 1\n`).test(metrics);
    let metrics = '';
    await waitFor(async () => {
      metrics = await (await fetch(`${adminUrl}/metrics`)).text();
      return counted(metrics, 'pay-1') && counted(metrics, 'pay-2');
    }, "calls through each listener are counted under its instance's id");
    assert.doesNotMatch(metrics, /instance="app"/, 'no call is counted under the anonymous "app"');

    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];
    assert.equal(code, 0);
    assert.equal(control.registrations.size, 0, 'both deregistered on the way down');
  });
});
