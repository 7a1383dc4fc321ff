import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { inboundOf, registeredAddress, type InboundFlagArgs } from '../../cli/commands/proxy-inbound-flags.js';
import { UsageError } from '../../cli/exit.js';
import { CertificateAuthority, type IssuedIdentity } from '../../control/ca/authority.js';
import type { IdentityOption } from '../../proxy/data-plane.js';
import type { InboundOptions } from '../../proxy/transport/inbound-server.js';
import { scratchDir } from '../control/ca/test-pki.js';
import { runCli, spawnCli, waitForLine } from '../helpers/cli.js';
import { waitFor } from '../helpers/wait.js';
import { startStandInControl, type StandInControl } from '../proxy/sources/control/stand-in-control.js';
import { writeIdentity } from '../proxy/transport/outbound-fixture.js';
import { httpsCall } from '../proxy/transport/inbound-fixture.js';

const identity: IdentityOption = { kind: 'files', cert: 'c.pem', key: 'k.pem', ca: 'ca.pem', trustDomain: 'faultmesh.local' };
const ok = { service: 'payments', identity, workers: 1, warn: () => {} };

describe('the inbound flags', () => {
  it('make the inbound options, mutual unless told otherwise', () => {
    assert.deepEqual(inboundOf({ inbound: '127.0.0.1:15006', app: ':8080' }, ok), { listen: { host: '127.0.0.1', port: 15006 }, app: { host: '127.0.0.1', port: 8080 }, mode: 'mutual' });
    assert.equal(inboundOf({ inbound: '15006', app: '8080', 'inbound-tls': 'permissive' }, ok)?.mode, 'permissive');
    assert.equal(inboundOf({}, ok), undefined);
  });

  const refused: Array<[string, InboundFlagArgs, Partial<typeof ok>, RegExp]> = [
    ['--app without --inbound', { app: '127.0.0.1:8080' }, {}, /^--app configures the inbound listener: give --inbound HOST:PORT too$/],
    ['--inbound-tls without --inbound', { 'inbound-tls': 'mutual' }, {}, /^--inbound-tls configures the inbound listener/],
    ['--inbound without --app', { inbound: '127.0.0.1:15006' }, {}, /^--inbound needs --app HOST:PORT/],
    ['an --inbound that is not host:port', { inbound: 'payments', app: '127.0.0.1:8080' }, {}, /^--inbound: "payments" is not host:port/],
    ['an --app that is not host:port', { inbound: '127.0.0.1:15006', app: '127.0.0.1:80800' }, {}, /^--app: "127.0.0.1:80800" is not host:port/],
    ['an unknown --inbound-tls', { inbound: '127.0.0.1:15006', app: '127.0.0.1:8080', 'inbound-tls': 'strict' }, {}, /^--inbound-tls: "strict" is not a mode: mutual or permissive$/],
    ['--inbound without an identity', { inbound: '127.0.0.1:15006', app: '127.0.0.1:8080' }, { identity: undefined }, /^--inbound needs an identity: --cert\/--key\/--ca or --control with a join token$/],
    ['--inbound without a service', { inbound: '127.0.0.1:15006', app: '127.0.0.1:8080' }, { service: undefined }, /^--inbound needs --service NAME \(the service this sidecar's app is\)$/],
    ['--inbound with several workers', { inbound: '127.0.0.1:15006', app: '127.0.0.1:8080' }, { workers: 2 }, /^--inbound runs in one process: give --workers 1/],
  ];
  for (const [what, args, context, message] of refused) {
    it(`refuses ${what} in one line`, () => {
      assert.throws(() => inboundOf(args, { ...ok, ...context }), (err: Error) => err instanceof UsageError && message.test(err.message));
    });
  }

  it('warns when the app is off loopback, where calls to it travel unencrypted', () => {
    const warnings: string[] = [];
    inboundOf({ inbound: '0.0.0.0:15006', app: '10.0.0.7:8080' }, { ...ok, warn: (line) => warnings.push(line) });
    assert.deepEqual(warnings, ['--app 10.0.0.7:8080 is not a loopback address: calls from this sidecar to the app travel unencrypted']);
  });
});

describe('--register with --inbound', () => {
  const at = (host: string, port: number): InboundOptions => ({ listen: { host, port }, app: { host: '127.0.0.1', port: 8080 }, mode: 'mutual' });
  const given = (host: string, port: number) => ({ host, port, text: `${host}:${port}` });

  it('registers the inbound listener for an id alone, or for the listener named in full', () => {
    assert.equal(registeredAddress('pay-1', undefined, at('127.0.0.1', 15006)), '127.0.0.1:15006');
    assert.equal(registeredAddress('pay-1', given('127.0.0.1', 15006), at('127.0.0.1', 15006)), '127.0.0.1:15006');
    assert.equal(registeredAddress('pay-1', given('10.1.2.3', 15006), at('0.0.0.0', 15006)), '10.1.2.3:15006', 'a wildcard listener is reached on the host named');
  });

  const refused: Array<[string, ReturnType<typeof given> | undefined, InboundOptions, RegExp]> = [
    ["the app's own address", given('127.0.0.1', 8080), at('127.0.0.1', 15006), /^--register pay-1=127\.0\.0\.1:8080 is not the inbound listener \(127\.0\.0\.1:15006\): .*write --register pay-1$/],
    ['an id alone with a wildcard listener', undefined, at('0.0.0.0', 15006), /^--register pay-1: --inbound 0\.0\.0\.0:15006 listens on every address; write pay-1=HOST:15006/],
    ['an address with a listener on port 0', given('127.0.0.1', 15006), at('127.0.0.1', 0), /^--register pay-1=127\.0\.0\.1:15006: --inbound asks for any free port/],
  ];
  for (const [what, address, inbound, message] of refused) {
    it(`refuses ${what}`, () => {
      assert.throws(() => registeredAddress('pay-1', address, inbound), (err: Error) => err instanceof UsageError && message.test(err.message));
    });
  }
});

describe('faultmesh proxy --inbound', () => {
  const tmp = scratchDir();
  let ca: CertificateAuthority;
  let checkout: IssuedIdentity;
  let files: { cert: string; key: string; ca: string };
  let meshFile: string;
  let app: Server;
  let appPort: number;
  const seen: Array<{ path: string; headers: IncomingHttpHeaders }> = [];
  let control: StandInControl;
  let child: ChildProcess | undefined;

  before(async () => {
    ca = await CertificateAuthority.init(tmp.sub('ca'));
    checkout = await ca.issue({ service: 'checkout' });
    mkdirSync(tmp.sub('id'));
    files = writeIdentity(tmp.sub('id'), await ca.issue({ service: 'payments' }));
    meshFile = tmp.sub('mesh.yaml');
    writeFileSync(meshFile, 'services:\n  payments:\n    instances: []\n');
    app = createServer((req, res) => {
      seen.push({ path: req.url ?? '', headers: req.headers });
      res.end('ok');
    });
    app.listen(0, '127.0.0.1');
    await once(app, 'listening');
    appPort = (app.address() as AddressInfo).port;
    control = await startStandInControl({});
  });
  after(async () => {
    if (child && child.exitCode === null) {
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
    await control.close();
    app.closeAllConnections();
    await new Promise((resolve) => app.close(resolve));
    tmp.remove();
  });

  const base = () => ['proxy', '--mesh', meshFile, '--listen', '127.0.0.1:0', '--admin', '127.0.0.1:0', '--access-log', 'off'];
  const id = () => ['--cert', files.cert, '--key', files.key, '--ca', files.ca];

  it('--check accepts a complete inbound sidecar and refuses an incomplete one in one line, exit 2', async () => {
    const good = await runCli([...base(), ...id(), '--inbound', '127.0.0.1:0', '--app', `127.0.0.1:${appPort}`, '--check']);
    assert.equal(good.code, 0, good.stderr);
    assert.match(good.stderr, /^faultmesh: flags OK$/m);
    const bad = await runCli([...base(), '--inbound', '127.0.0.1:0', '--app', `127.0.0.1:${appPort}`, '--check']);
    assert.equal(bad.code, 2, bad.stderr);
    assert.match(bad.stderr, /^faultmesh: --inbound needs an identity: --cert\/--key\/--ca or --control with a join token$/m);
    assert.doesNotMatch(bad.stderr, /\n\s+at /, 'no stack trace');
  });

  it('registers the inbound listener, not the app, and passes mTLS callers to the app with their identity', async () => {
    child = spawnCli([...base(), ...id(), '--control', control.url, '--service', 'payments', '--inbound', '127.0.0.1:0', '--app', `127.0.0.1:${appPort}`, '--register', 'payments-1', '--health-path', '/healthz']);
    const [, port] = (await waitForLine(child, /inbound on https:\/\/127\.0\.0\.1:(\d+), admin on/)) as unknown as [string, string];
    await waitFor(() => control.registrations.has('payments/payments-1'), 'the instance is registered');
    assert.equal(control.registrations.get('payments/payments-1')!.address, `127.0.0.1:${port}`);
    assert.ok(seen.some((s) => s.path === '/healthz'), 'the health check went to the app itself');
    const reply = await httpsCall(Number(port), ca.trustBundlePem, checkout, '/api/charge', { headers: { 'x-faultmesh-source': 'frontend' } });
    assert.equal(reply.status, 200, reply.body);
    assert.equal(seen.at(-1)!.headers['x-faultmesh-source'], 'checkout');
    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];
    assert.equal(code, 0);
    assert.equal(control.registrations.size, 0, 'deregistered on the way down');
  });
});
