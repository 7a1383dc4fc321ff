import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { inboundOf, registeredAddress, registeredInboundAddress, type InboundFlagArgs, type RegisterInbound } from '../../cli/commands/proxy-inbound-flags.js';
import { UsageError } from '../../cli/exit.js';
import { CertificateAuthority, type IssuedIdentity } from '../../control/ca/authority.js';
import { addressSchema } from '../../proxy/config/mesh-schema.js';
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

/** One --register as proxy.ts parses it: `id[=address][,inbound=listen]`. */
const reg = (id: string, address?: string, inbound?: string): RegisterInbound => ({
  text: `${id}${address === undefined ? '' : `=${address}`}${inbound === undefined ? '' : `,inbound=${inbound}`}`,
  id,
  given: address === undefined ? undefined : addressSchema.parse(address),
  inbound,
});

describe('the inbound flags', () => {
  it('make the inbound options, mutual unless told otherwise', () => {
    assert.deepEqual(inboundOf({ inbound: '127.0.0.1:15006', app: ':8080' }, [], ok), [{ listen: { host: '127.0.0.1', port: 15006 }, app: { host: '127.0.0.1', port: 8080 }, mode: 'mutual' }]);
    assert.equal(inboundOf({ inbound: '15006', app: '8080', 'inbound-tls': 'permissive' }, [], ok)?.[0]?.mode, 'permissive');
    assert.equal(inboundOf({}, [], ok), undefined);
    assert.equal(inboundOf({}, [reg('pay-1', '127.0.0.1:18111')], ok), undefined, 'a plain --register asks for no listener');
  });

  it('name the one listener after its instance when one --register names it, and leave it "app" for several', () => {
    const one = { inbound: '127.0.0.1:15006', app: '127.0.0.1:8080' };
    assert.equal(inboundOf(one, [reg('pay-1')], ok)?.[0]?.instance, 'pay-1');
    assert.equal(inboundOf(one, [reg('pay-1'), reg('pay-2')], ok)?.[0]?.instance, undefined);
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
      assert.throws(() => inboundOf(args, [], { ...ok, ...context }), (err: Error) => err instanceof UsageError && message.test(err.message));
    });
  }

  it('warns when the app is off loopback, where calls to it travel unencrypted', () => {
    const warnings: string[] = [];
    inboundOf({ inbound: '0.0.0.0:15006', app: '10.0.0.7:8080' }, [], { ...ok, warn: (line) => warnings.push(line) });
    assert.deepEqual(warnings, ['--app 10.0.0.7:8080 is not a loopback address: calls from this sidecar to the app travel unencrypted']);
  });
});

describe('--register ID=APP,inbound=HOST:PORT: one listener per app', () => {
  it('makes a listener for each app, named by its instance, all in the one --inbound-tls mode', () => {
    const listeners = inboundOf({ 'inbound-tls': 'permissive' }, [reg('pay-1', '127.0.0.1:18111', '127.0.0.1:0'), reg('pay-2', '127.0.0.1:18112', '127.0.0.1:0')], ok);
    assert.deepEqual(listeners, [
      { listen: { host: '127.0.0.1', port: 0 }, app: { host: '127.0.0.1', port: 18111 }, mode: 'permissive', instance: 'pay-1' },
      { listen: { host: '127.0.0.1', port: 0 }, app: { host: '127.0.0.1', port: 18112 }, mode: 'permissive', instance: 'pay-2' },
    ]);
  });

  it("registers each instance at its own listener's address (the real one replaces it once listening)", () => {
    const registers = [reg('pay-1', '127.0.0.1:18111', '127.0.0.1:15006'), reg('pay-2', '127.0.0.1:18112', '127.0.0.1:15007')];
    const listeners = inboundOf({}, registers, ok)!;
    assert.deepEqual(registers.map((r) => registeredInboundAddress(r, listeners)), ['127.0.0.1:15006', '127.0.0.1:15007']);
  });

  it('warns for each app off loopback', () => {
    const warnings: string[] = [];
    inboundOf({}, [reg('pay-1', '10.0.0.7:8080', '10.0.0.7:15006')], { ...ok, warn: (line) => warnings.push(line) });
    assert.deepEqual(warnings, ['--register pay-1=10.0.0.7:8080: the app is not on a loopback address: calls from this sidecar to it travel unencrypted']);
  });

  const app = '127.0.0.1:18111';
  const refused: Array<[string, InboundFlagArgs, RegisterInbound[], Partial<typeof ok>, RegExp]> = [
    ['mixing it with --inbound/--app', { inbound: '127.0.0.1:15006', app }, [reg('pay-1', app, '127.0.0.1:0')], {}, /^--register pay-1=127\.0\.0\.1:18111,inbound=127\.0\.0\.1:0: give either --inbound HOST:PORT --app HOST:PORT \(one app\) or inbound=HOST:PORT on every --register \(one listener per app\), not both$/],
    ['--app with it', { app }, [reg('pay-1', app, '127.0.0.1:0')], {}, /^--app is for --inbound HOST:PORT \(one app\); with inbound= on --register/],
    ['a --register without inbound= beside one with', {}, [reg('pay-1', app, '127.0.0.1:0'), reg('pay-2', '127.0.0.1:18112')], {}, /^--register pay-2=127\.0\.0\.1:18112: give it inbound=HOST:PORT too/],
    ['inbound= without the app', {}, [reg('pay-1', undefined, '127.0.0.1:0')], {}, /^--register pay-1,inbound=127\.0\.0\.1:0: write pay-1=APP_HOST:PORT,\.\.\.: the app its inbound listener passes calls to$/],
    ['an inbound= that is not host:port', {}, [reg('pay-1', app, 'somewhere')], {}, /^--register pay-1: inbound="somewhere" is not host:port/],
    ['an inbound= on every address', {}, [reg('pay-1', app, '0.0.0.0:15006')], {}, /^--register pay-1: inbound=0\.0\.0\.0:15006 listens on every address, so callers cannot be told where: name the one they reach \(inbound=HOST:15006\)$/],
    ['two listeners on one address', {}, [reg('pay-1', app, '127.0.0.1:15006'), reg('pay-2', '127.0.0.1:18112', '127.0.0.1:15006')], {}, /^--register pay-2: inbound=127\.0\.0\.1:15006 is already the listener of pay-1$/],
    ["the app's own address as its listener", {}, [reg('pay-1', app, app)], {}, /^--register pay-1: inbound=127\.0\.0\.1:18111 is the app's own address: give its listener a port of its own$/],
    ['one instance twice', {}, [reg('pay-1', app, '127.0.0.1:0'), reg('pay-1', '127.0.0.1:18112', '127.0.0.1:0')], {}, /^--register: instance pay-1 is given twice$/],
    ['an unknown --inbound-tls', { 'inbound-tls': 'strict' }, [reg('pay-1', app, '127.0.0.1:0')], {}, /^--inbound-tls: "strict" is not a mode/],
    ['it without an identity', {}, [reg('pay-1', app, '127.0.0.1:0')], { identity: undefined }, /^--register pay-1: inbound= needs an identity: --cert\/--key\/--ca or --control with a join token$/],
    ['it without a service', {}, [reg('pay-1', app, '127.0.0.1:0')], { service: undefined }, /^--register pay-1: inbound= needs --service NAME \(the service this sidecar's app is\)$/],
    ['it with several workers', {}, [reg('pay-1', app, '127.0.0.1:0')], { workers: 2 }, /^--register pay-1: inbound= runs in one process: give --workers 1/],
  ];
  for (const [what, args, registers, context, message] of refused) {
    it(`refuses ${what} in one line`, () => {
      assert.throws(() => inboundOf(args, registers, { ...ok, ...context }), (err: Error) => err instanceof UsageError && !err.message.includes('\n') && message.test(err.message));
    });
  }
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

  it('--check accepts one listener per app, and refuses a bad --register in one line, exit 2', async () => {
    const ctl = ['--control', 'http://127.0.0.1:1', '--service', 'payments'];
    const pay = (extra: string) => `pay-1=127.0.0.1:${appPort}${extra}`;
    const [good, twice, mixed, unknown] = await Promise.all([
      runCli([...base(), ...id(), ...ctl, '--register', pay(',zone=z1,inbound=127.0.0.1:0'), '--register', 'pay-2=127.0.0.1:1,label.v=2,inbound=127.0.0.1:0', '--check']),
      runCli([...base(), ...id(), ...ctl, '--register', pay(',inbound=127.0.0.1:0,inbound=127.0.0.1:0'), '--check']),
      runCli([...base(), ...id(), ...ctl, '--inbound', '127.0.0.1:0', '--app', `127.0.0.1:${appPort}`, '--register', pay(',inbound=127.0.0.1:0'), '--check']),
      runCli([...base(), ...id(), ...ctl, '--register', pay(',colour=red'), '--check']),
    ]);
    assert.equal(good.code, 0, good.stderr);
    assert.match(good.stderr, /^faultmesh: flags OK$/m);
    for (const [run, line] of [
      [twice, /^faultmesh: --register: "pay-1=127\.0\.0\.1:\d+,inbound=127\.0\.0\.1:0,inbound=127\.0\.0\.1:0" gives inbound twice$/m],
      [mixed, /^faultmesh: --register pay-1=127\.0\.0\.1:\d+,inbound=127\.0\.0\.1:0: give either --inbound HOST:PORT --app HOST:PORT \(one app\) or inbound=HOST:PORT on every --register \(one listener per app\), not both$/m],
      [unknown, /^faultmesh: --register: "colour=red" in "pay-1=127\.0\.0\.1:\d+,colour=red" is not region=R, zone=Z or label\.KEY=VALUE \(or inbound=HOST:PORT\)$/m],
    ] as const) {
      assert.equal(run.code, 2, run.stderr);
      assert.match(run.stderr, line);
      assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace');
    }
  });

  it('registers the inbound listener, not the app, and passes mTLS callers to the app with their identity', async () => {
    child = spawnCli([...base(), ...id(), '--control', control.url, '--service', 'payments', '--inbound', '127.0.0.1:0', '--app', `127.0.0.1:${appPort}`, '--register', 'payments-1', '--health-path', '/healthz']);
    const [, port] = (await waitForLine(child, /inbound payments-1 on https:\/\/127\.0\.0\.1:(\d+) -> app 127\.0\.0\.1:\d+, admin on/)) as unknown as [string, string];
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
