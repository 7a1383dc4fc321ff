import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, request } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { EchoUpstream } from '../../demo/echo-upstream.js';
import type { RunningProxy } from '../../proxy/proxy-app.js';
import { send, type Reply } from '../helpers/http-client.js';
import { startMeshFixture, type MeshFixture } from '../helpers/mesh-fixture.js';
import { rawExchange } from '../helpers/raw-socket.js';
import { waitFor } from '../helpers/wait.js';

/** A port nothing listens on: bound by us, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

function assertProxyError(reply: Reply, status: number, code: string) {
  assert.equal(reply.status, status, reply.text());
  assert.equal(reply.headers['x-faultmesh-error'], code);
  assert.equal(reply.headers['content-type'], 'application/json');
  const body = reply.json<{ code: string; message: string }>();
  assert.equal(body.code, code);
  assert.ok(body.message.length > 0);
  assert.ok(reply.headers['x-request-id']);
}

describe('responses the proxy makes itself', () => {
  let fixture: MeshFixture;
  let upstreams: Map<string, EchoUpstream>;
  let proxy: RunningProxy;

  before(async () => {
    const refused = await closedPort();
    fixture = await startMeshFixture([{ service: 'payments', id: 'pay-1' }], {
      extra: { payments: 'routes:\n  - match: { method: GET, path: /private/* }\n    deny: 403\n  - match: { headers: { x-tenant: blocked } }\n    deny: 451' },
      yamlTail: `  empty:\n    instances: []\n  down:\n    instances:\n      - { id: down-1, address: 127.0.0.1:${refused} }\n`,
      proxy: { timeoutMs: 300 },
    });
    ({ upstreams, proxy } = fixture);
  });
  after(() => fixture.stop());

  it('answers 404 UNKNOWN_SERVICE for a service not in the mesh', async () => {
    assertProxyError(await send(proxy.proxyUrl, { headers: { host: 'nosuch' } }), 404, 'UNKNOWN_SERVICE');
  });

  it('answers 400 NO_DESTINATION for a request that names no service', async () => {
    const socket = connect(Number(new URL(proxy.proxyUrl).port), '127.0.0.1');
    socket.end('GET / HTTP/1.0\r\n\r\n');
    const chunks: Buffer[] = [];
    for await (const c of socket) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString();
    assert.match(raw, /^HTTP\/1\.1 400 /);
    assert.match(raw, /x-faultmesh-error: NO_DESTINATION/);
  });

  it('answers 503 NO_INSTANCE for a service without instances', async () => {
    assertProxyError(await send(proxy.proxyUrl, { headers: { host: 'empty' } }), 503, 'NO_INSTANCE');
  });

  it('answers 502 UPSTREAM_CONNECT_FAILED when the instance refuses connections', async () => {
    assertProxyError(await send(proxy.proxyUrl, { headers: { host: 'down' } }), 502, 'UPSTREAM_CONNECT_FAILED');
  });

  it('answers 502 UPSTREAM_RESET when the instance drops the connection', async () => {
    assertProxyError(await send(proxy.proxyUrl, { path: '/?reset=1', headers: { host: 'payments' } }), 502, 'UPSTREAM_RESET');
  });

  it('answers 504 UPSTREAM_TIMEOUT and cancels the upstream request when the instance is too slow', async () => {
    const upstream = upstreams.get('pay-1')!;
    const closed = new Promise<void>((resolve) => upstream.server.once('request', (_req, res) => res.once('close', () => resolve())));
    assertProxyError(await send(proxy.proxyUrl, { path: '/?delay=5000', headers: { host: 'payments' } }), 504, 'UPSTREAM_TIMEOUT');
    await closed; // the upstream saw its request cancelled, long before its 5 s answer
  });

  it('answers a deny route with its status and ROUTE_DENIED', async () => {
    assertProxyError(await send(proxy.proxyUrl, { path: '/private/keys', headers: { host: 'payments' } }), 403, 'ROUTE_DENIED');
    assertProxyError(await send(proxy.proxyUrl, { path: '/', headers: { host: 'payments', 'x-tenant': 'blocked' } }), 451, 'ROUTE_DENIED');
    const post = await send(proxy.proxyUrl, { method: 'POST', path: '/private/keys', headers: { host: 'payments' }, body: 'x' });
    assert.equal(post.status, 200, 'the deny route matches GET only');
  });

  it('refuses CONNECT tunnels with 405', async () => {
    const url = new URL(proxy.proxyUrl);
    const req = request({ host: url.hostname, port: url.port, method: 'CONNECT', path: 'payments:443' });
    req.end();
    const [res] = (await once(req, 'connect')) as [import('node:http').IncomingMessage];
    assert.equal(res.statusCode, 405);
    assert.equal(res.headers['x-faultmesh-error'], 'METHOD_NOT_SUPPORTED');
    req.destroy();
  });

  it('answers 431 HEADERS_TOO_LARGE to a 100 KB request header, and keeps serving', async () => {
    const raw = await rawExchange(Number(new URL(proxy.proxyUrl).port), `GET / HTTP/1.1\r\nHost: payments\r\nx-big: ${'a'.repeat(100_000)}\r\n\r\n`);
    assert.match(raw, /^HTTP\/1\.1 431 Request Header Fields Too Large\r\n/);
    assert.match(raw, /x-faultmesh-error: HEADERS_TOO_LARGE/);
    assert.equal((await send(proxy.proxyUrl, { headers: { host: 'payments' } })).status, 200);
  });

  it('answers 400 INVALID_HOST to two Host headers or a Host with user information, without reaching the service', async () => {
    const port = Number(new URL(proxy.proxyUrl).port);
    const before = upstreams.get('pay-1')!.received();
    for (const head of ['Host: payments\r\nHost: evil', 'Host: evil@payments', 'Host: payments\r\nhost: payments', 'Host: other']) {
      const target = head === 'Host: other' ? 'http://evil@payments/' : '/';
      const raw = await rawExchange(port, `GET ${target} HTTP/1.1\r\n${head}\r\n\r\n`);
      assert.match(raw, /^HTTP\/1\.1 400 /, head);
      assert.match(raw, /x-faultmesh-error: INVALID_HOST/, head);
      assert.match(raw, /connection: close/i, head);
    }
    assert.equal(upstreams.get('pay-1')!.received(), before);
  });

  it('frees the instance at once when the client leaves before the answer', async () => {
    // Its own proxy with a long timeout, and an answer later still: only the disconnect can free the instance within the wait.
    const patient = await startMeshFixture([{ service: 'payments', id: 'pay-1' }], { proxy: { timeoutMs: 120_000 } });
    after(() => patient.stop());
    const proxy = patient.proxy;
    const url = new URL(proxy.proxyUrl);
    const inFlight = async () => {
      const { services } = (await send(proxy.adminUrl, { path: '/v1/services' })).json<{ services: Array<{ name: string; instances: Array<{ inFlight: number }> }> }>();
      return services.find((s) => s.name === 'payments')!.instances[0]!.inFlight;
    };
    const req = request({ host: url.hostname, port: url.port, path: '/?delay=60000', headers: { host: 'payments' } });
    req.on('error', () => {});
    req.end();
    await waitFor(() => patient.upstreams.get('pay-1')!.received() === 1, 'the request reaches the instance');
    assert.equal(await inFlight(), 1);
    req.destroy();
    await waitFor(async () => (await inFlight()) === 0, 'the in-flight count drops, long before the 2 min timeout or the 1 min answer');
  });

  it('cuts the client off when the instance dies mid-body, then keeps serving', async () => {
    await assert.rejects(send(proxy.proxyUrl, { path: '/?cutAfter=1000', headers: { host: 'payments' } }), /aborted|socket hang up|ECONNRESET/);
    const ok = await send(proxy.proxyUrl, { headers: { host: 'payments' } });
    assert.equal(ok.status, 200);
  });
});
