import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { parseAdminHost, parseAdminOrigin } from '../../../proxy/admin/admin-access.js';
import { AdminTokenBlankError } from '../../../proxy/admin/auth.js';
import type { RunningProxy } from '../../../proxy/proxy-app.js';
import { runCli } from '../../helpers/cli.js';
import { startFaultFixture, TOKEN, type FaultFixture } from '../../helpers/fault-fixture.js';
import { send, type Reply } from '../../helpers/http-client.js';
import { startTestProxy, tempDir } from '../../helpers/mesh-fixture.js';

const RULE = JSON.stringify({ target: 'payments', abort: { status: 503 }, ttl: '60s' });
const JSON_TYPE = { 'content-type': 'application/json' };

/** The admin API with no token, the default: only Host and Origin stand between it and a web page. */
describe('the admin API and other web origins', () => {
  let f: FaultFixture;
  let port: string;
  const admin = (options: Parameters<typeof send>[1]): Promise<Reply> => send(f.proxy.adminUrl, options);
  const state = async () => {
    const { halted, faults } = (await admin({ path: '/v1/faults' })).json<{ halted: boolean; faults: unknown[] }>();
    return { halted, faults: faults.length };
  };

  before(async () => {
    f = await startFaultFixture({ adminToken: undefined, adminHosts: ['proxy-1.internal', '10.0.0.5:15000'], adminOrigins: ['https://ops.example'] });
    port = new URL(f.proxy.adminUrl).port;
  });
  afterEach(async () => {
    await admin({ method: 'POST', path: '/v1/resume' });
    await f.clearFaults();
  });
  after(() => f.stop());

  it('refuses a DNS-rebinding page: a Host that is not the admin\'s gets 403 and changes nothing', async () => {
    for (const host of [`attacker.example:${port}`, 'attacker.example', `evil@127.0.0.1:${port}`, `10.0.0.5:${port}`, `proxy-1.internal.evil.example:${port}`]) {
      const add = await admin({ method: 'POST', path: '/v1/faults', headers: { host, ...JSON_TYPE }, body: RULE });
      assert.equal(add.status, 403, host);
      assert.equal(add.json().code, 'HOST_NOT_ALLOWED', host);
      const read = await admin({ path: '/v1/faults', headers: { host } });
      assert.equal(read.status, 403, `reads are refused too: ${host}`);
    }
    assert.deepEqual(await state(), { halted: false, faults: 0 });
    assert.equal((await f.call()).status, 200, 'the data plane is untouched');
  });

  it('answers to loopback names and addresses, on any port, and to the names given with --admin-host', async () => {
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LOCALHOST:${port}`, `[::1]:${port}`, `127.1.2.3:${port}`, 'localhost:8080', 'localhost', `proxy-1.internal:${port}`, 'PROXY-1.internal', '10.0.0.5:15000']) {
      const reply = await admin({ path: '/healthz', headers: { host } });
      assert.equal(reply.status, 200, `${host}: ${reply.text()}`);
    }
  });

  it('refuses cross-origin state changes (halt, resume, reload, faults) with 403, whatever the content type', async () => {
    const attacks: Array<[string, string, Record<string, string>]> = [
      ['POST', '/v1/halt', { origin: 'http://evil.example', 'content-type': 'text/plain' }],
      ['POST', '/v1/resume', { origin: 'http://evil.example', 'content-type': 'text/plain' }],
      ['POST', '/v1/reload', { origin: 'http://evil.example', 'content-type': 'text/plain' }],
      ['POST', '/v1/faults', { origin: 'http://evil.example', ...JSON_TYPE }],
      ['DELETE', '/v1/faults', { origin: 'null' }],
      ['POST', '/v1/halt', { origin: `http://localhost:${Number(port) + 1}` }],
      ['POST', '/v1/halt', { 'sec-fetch-site': 'cross-site' }],
      ['POST', '/v1/halt', { 'sec-fetch-site': 'same-site' }],
    ];
    for (const [method, path, headers] of attacks) {
      const reply = await admin({ method, path, headers, body: path === '/v1/faults' && method === 'POST' ? RULE : '{}' });
      assert.equal(reply.status, 403, `${method} ${path} ${JSON.stringify(headers)}`);
      assert.equal(reply.json().code, 'ORIGIN_NOT_ALLOWED');
    }
    assert.deepEqual(await state(), { halted: false, faults: 0 });
  });

  it('suggests --admin-origin only with a value the flag accepts, and says an opaque origin cannot be allowed', async () => {
    for (const origin of ['http://evil.example', 'HTTPS://Ops.Example:8443']) {
      const { message } = (await admin({ method: 'POST', path: '/v1/halt', headers: { origin } })).json<{ message: string }>();
      const hinted = /allow it with --admin-origin (\S+)$/.exec(message)?.[1];
      assert.ok(hinted, message);
      assert.equal(parseAdminOrigin(hinted), hinted, `the hint works as a flag: ${message}`);
    }
    for (const origin of ['null', 'chrome-extension://abcdef']) {
      const refused = await admin({ method: 'POST', path: '/v1/halt', headers: { origin } });
      assert.equal(refused.status, 403);
      const { message } = refused.json<{ message: string }>();
      assert.doesNotMatch(message, /--admin-origin (null|chrome)/, message);
      assert.match(message, /opaque origin .* cannot be allowed/);
      assert.throws(() => parseAdminOrigin(origin), 'the flag refuses it, as the message says');
    }
    assert.deepEqual(await state(), { halted: false, faults: 0 });
  });

  it('lets the admin\'s own origin and the origins given with --admin-origin change state', async () => {
    const own = await admin({ method: 'POST', path: '/v1/faults', headers: { origin: `http://127.0.0.1:${port}`, 'sec-fetch-site': 'same-origin', ...JSON_TYPE }, body: RULE });
    assert.equal(own.status, 201, own.text());
    const listed = await admin({ method: 'POST', path: '/v1/halt', headers: { origin: 'https://ops.example', 'sec-fetch-site': 'cross-site' } });
    assert.equal(listed.status, 200, listed.text());
    assert.deepEqual(await state(), { halted: true, faults: 0 });
    const read = await admin({ path: '/v1/faults', headers: { origin: 'http://evil.example' } });
    assert.equal(read.status, 200, 'a read from another origin is answered: the browser keeps it from the page');
  });

  it('refuses a state change whose body is not application/json with 415, applying nothing', async () => {
    for (const path of ['/v1/faults', '/v1/reload', '/v1/resume', '/v1/faults/x/renew']) {
      const reply = await admin({ method: 'POST', path, headers: { 'content-type': 'text/plain' }, body: path === '/v1/faults' ? RULE : '{"ttl":"10s"}' });
      assert.equal(reply.status, 415, path);
      assert.equal(reply.json().code, 'NOT_JSON');
    }
    const untyped = await admin({ method: 'POST', path: '/v1/faults', body: RULE });
    assert.equal(untyped.status, 415, 'a body with no content type is refused too');
    assert.deepEqual(await state(), { halted: false, faults: 0 });
    const bodyless = await admin({ method: 'POST', path: '/v1/resume' });
    assert.equal(bodyless.status, 200, 'a state change without a body needs no content type');
    const badJson = await admin({ method: 'POST', path: '/v1/faults', headers: JSON_TYPE, body: '{"target":' });
    assert.equal(badJson.status, 400);
    assert.equal(badJson.json().code, 'BAD_JSON');
  });

  it('halts with any body or none: a halt is never refused for its body', async () => {
    const bodies: Array<[Record<string, string>, string | undefined]> = [
      [{}, undefined],
      [{ 'content-type': 'text/plain' }, 'stop everything'],
      [JSON_TYPE, '{not json'],
      [{ 'content-type': 'application/octet-stream' }, '\u0000\u0001'],
    ];
    for (const [headers, body] of bodies) {
      await f.addFault({ target: 'payments', abort: { status: 503 } });
      const reply = await admin({ method: 'POST', path: '/v1/halt', headers, ...(body === undefined ? {} : { body }) });
      assert.equal(reply.status, 200, `${JSON.stringify(headers)}: ${reply.text()}`);
      assert.deepEqual(reply.json(), { halted: true, removed: 1 });
      await admin({ method: 'POST', path: '/v1/resume' });
    }
  });
});

describe('the admin token', () => {
  let f: FaultFixture;
  before(async () => (f = await startFaultFixture()));
  after(() => f.stop());

  it('accepts the Bearer scheme in any case, and nothing else', async () => {
    for (const scheme of ['Bearer', 'bearer', 'BEARER']) {
      const reply = await send(f.proxy.adminUrl, { method: 'POST', path: '/v1/resume', headers: { authorization: `${scheme} ${TOKEN}` } });
      assert.equal(reply.status, 200, scheme);
    }
    for (const authorization of [`Basic ${TOKEN}`, `Bearer${TOKEN}`, `Bearer ${TOKEN}x`, 'Bearer ']) {
      const reply = await send(f.proxy.adminUrl, { method: 'POST', path: '/v1/resume', headers: { authorization } });
      assert.equal(reply.status, 401, authorization);
      assert.equal(reply.json().code, 'UNAUTHORIZED');
    }
  });

  it('refuses a blank token at start-up instead of serving without one', async (t) => {
    const dir = tempDir();
    t.after(() => dir.remove());
    const mesh = dir.file('mesh.yaml', 'services:\n  payments:\n    instances:\n      - { id: pay-1, address: 127.0.0.1:1 }\n');
    for (const token of ['', '   ', '\t\n']) {
      const started: RunningProxy | unknown = await startTestProxy(mesh, { adminToken: token }).catch((err: unknown) => err);
      if (!(started instanceof Error)) await (started as RunningProxy).close(100); // so a regression fails instead of hanging
      assert.ok(started instanceof AdminTokenBlankError && started.code === 'ADMIN_TOKEN_BLANK', `token ${JSON.stringify(token)}: ${String(started)}`);
    }
    const flag = await runCli(['proxy', '--mesh', mesh, '--listen', '127.0.0.1:0', '--admin', '127.0.0.1:0', '--admin-token', ' '], 60_000, { FAULTMESH_ADMIN_TOKEN: '' });
    assert.equal(flag.code, 2, flag.stderr);
    assert.match(flag.stderr, /--admin-token is blank/);
    assert.doesNotMatch(flag.stderr, /\n\s+at /, 'no stack trace');
    const env = await runCli(['proxy', '--mesh', mesh, '--listen', '127.0.0.1:0', '--admin', '127.0.0.1:0'], 60_000, { FAULTMESH_ADMIN_TOKEN: '  ' });
    assert.equal(env.code, 2, env.stderr);
    assert.match(env.stderr, /FAULTMESH_ADMIN_TOKEN is blank/);
  });
});

describe('--admin-host and --admin-origin values', () => {
  it('takes host names with an optional port, and origins without a path', () => {
    assert.equal(parseAdminHost('Proxy-1.Internal'), 'proxy-1.internal');
    assert.equal(parseAdminHost('10.0.0.5:15000'), '10.0.0.5:15000');
    assert.equal(parseAdminOrigin('https://ops.example'), 'https://ops.example');
    assert.equal(parseAdminOrigin('http://localhost:3000/'), 'http://localhost:3000');
  });

  for (const bad of ['http://proxy-1', 'a b', 'evil@host', '0.0.0.0', '']) {
    it(`refuses --admin-host ${JSON.stringify(bad)}, naming the flag`, () => {
      assert.throws(() => parseAdminHost(bad), /--admin-host: .* is not a host name/);
    });
  }
  for (const bad of ['ops.example', 'https://ops.example/path', 'ftp://ops.example', '*']) {
    it(`refuses --admin-origin ${JSON.stringify(bad)}, naming the flag`, () => {
      assert.throws(() => parseAdminOrigin(bad), /--admin-origin: .* is not a web origin/);
    });
  }
});
