import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import type { RunningProxy } from '../../proxy/proxy-app.js';
import { send } from '../helpers/http-client.js';
import { startMeshFixture, type MeshFixture } from '../helpers/mesh-fixture.js';

describe('forwarding through the proxy', () => {
  let fixture: MeshFixture;
  let proxy: RunningProxy;

  before(async () => {
    fixture = await startMeshFixture([{ service: 'payments', id: 'pay-1' }], { proxy: { service: 'checkout' } });
    proxy = fixture.proxy;
  });
  after(() => fixture.stop());

  it('reaches a service named in the Host header, port ignored', async () => {
    const reply = await send(proxy.proxyUrl, { path: '/api/pay?amount=3', headers: { host: 'payments:15001' } });
    assert.equal(reply.status, 200);
    const seen = reply.json<{ instance: string; url: string }>();
    assert.equal(seen.instance, 'pay-1');
    assert.equal(seen.url, '/api/pay?amount=3');
  });

  it('reaches a service named in an absolute URL, as HTTP_PROXY clients send', async () => {
    const reply = await send(proxy.proxyUrl, { path: 'http://payments/api/pay?x=1', headers: { host: 'ignored' } });
    assert.equal(reply.status, 200);
    const seen = reply.json<{ url: string; headers: Record<string, string> }>();
    assert.equal(seen.url, '/api/pay?x=1');
    assert.equal(seen.headers.host, 'payments');
  });

  it('adds forwarding and trace headers and drops hop-by-hop ones', async () => {
    const reply = await send(proxy.proxyUrl, {
      path: '/h',
      headers: {
        host: 'payments',
        'x-custom': 'kept',
        connection: 'x-secret-hop',
        'x-secret-hop': 'dropped',
        'proxy-authorization': 'Basic Zm9v',
        'x-forwarded-for': '10.0.0.9',
        traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      },
    });
    const h = reply.json<{ headers: Record<string, string> }>().headers;
    assert.equal(h['x-custom'], 'kept');
    assert.equal(h['x-secret-hop'], undefined);
    assert.equal(h['proxy-authorization'], undefined);
    assert.equal(h['x-forwarded-for'], '10.0.0.9, 127.0.0.1');
    assert.equal(h['x-forwarded-proto'], 'http');
    assert.equal(h['x-forwarded-host'], 'payments');
    assert.match(h.traceparent!, /^00-4bf92f3577b34da6a3ce929d0e0e4736-(?!00f067aa0ba902b7)[0-9a-f]{16}-01$/);
    assert.equal(h['x-request-id'], '4bf92f3577b34da6a3ce929d0e0e4736');
    assert.equal(reply.headers['x-request-id'], '4bf92f3577b34da6a3ce929d0e0e4736');
  });

  it('never forwards the fault headers, though this proxy does not honour them', async () => {
    // A next proxy that runs with --allow-header-faults would apply them otherwise.
    const reply = await send(proxy.proxyUrl, { path: '/', headers: { host: 'payments', 'x-faultmesh-abort': '503', 'X-Faultmesh-Delay': '2s', 'x-kept': 'yes' } });
    assert.equal(reply.status, 200);
    const h = reply.json<{ headers: Record<string, string> }>().headers;
    assert.equal(h['x-faultmesh-abort'], undefined);
    assert.equal(h['x-faultmesh-delay'], undefined);
    assert.equal(h['x-kept'], 'yes');
  });

  it('prepares the headers of a retry that follows an injected abort like those of a first attempt', async () => {
    const specs = [
      { service: 'payments', id: 'pay-1' },
      { service: 'payments', id: 'pay-2' },
    ];
    const retrying = await startMeshFixture(specs, {
      extra: { payments: 'policy:\n  retries: { attempts: 1, retryOn: [5xx], backoff: { base: 1ms, max: 1ms } }\n  outlierDetection: { enabled: false }' },
      proxy: { adminToken: 'test-token' },
    });
    after(() => retrying.stop());
    const fault = { id: 'pay-1-down', target: 'payments', ttl: '60s', match: { hosts: ['pay-1'] }, abort: { status: 503 } };
    const added = await send(retrying.proxy.adminUrl, { method: 'POST', path: '/v1/faults', headers: { authorization: 'Bearer test-token', 'content-type': 'application/json' }, body: JSON.stringify(fault) });
    assert.equal(added.status, 201, added.text());
    // Round-robin: of two calls, one starts on pay-1, is aborted there and retried on pay-2.
    for (let i = 0; i < 2; i++) {
      const reply = await send(retrying.proxy.proxyUrl, { path: '/', headers: { host: 'payments', connection: 'x-hop', 'x-hop': 'dropped', 'x-faultmesh-abort': '500' } });
      assert.equal(reply.status, 200, reply.text());
      const h = reply.json<{ instance: string; headers: Record<string, string> }>().headers;
      assert.equal(h['x-hop'], undefined);
      assert.equal(h['x-faultmesh-abort'], undefined);
      assert.equal(h['x-forwarded-for'], '127.0.0.1');
      assert.match(h.traceparent ?? '', /^00-/);
    }
    assert.equal(retrying.upstreams.get('pay-1')!.received(), 0);
    assert.equal(retrying.upstreams.get('pay-2')!.received(), 2);
  });

  it('starts a trace when the caller sent none', async () => {
    const reply = await send(proxy.proxyUrl, { path: '/', headers: { host: 'payments', 'x-request-id': 'r-1' } });
    const h = reply.json<{ headers: Record<string, string> }>().headers;
    assert.match(h.traceparent!, /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    assert.equal(h['x-request-id'], 'r-1');
  });

  it('returns the upstream status and headers, minus hop-by-hop ones', async () => {
    const reply = await send(proxy.proxyUrl, { path: '/?status=418', headers: { host: 'payments' } });
    assert.equal(reply.status, 418);
    assert.equal(reply.headers['x-instance'], 'pay-1');
    assert.equal(reply.headers['x-faultmesh-error'], undefined);
  });

  for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
    it(`streams a ${method} body to the upstream and its answer back`, async () => {
      const body = randomBytes(64 * 1024);
      const reply = await send(proxy.proxyUrl, { method, path: '/echo', headers: { host: 'payments', 'content-type': 'application/x-test' }, body });
      assert.equal(reply.status, 200);
      assert.equal(reply.headers['x-echo-method'], method);
      assert.equal(reply.headers['content-type'], 'application/x-test');
      assert.ok(reply.body.equals(body));
    });
  }

  it('streams a large chunked upload and a large download unchanged', async () => {
    const chunks = Array.from({ length: 160 }, () => randomBytes(64 * 1024)); // 10 MiB
    const digest = createHash('sha256');
    for (const c of chunks) digest.update(c);
    const reply = await send(proxy.proxyUrl, { method: 'POST', path: '/echo', headers: { host: 'payments' }, body: Readable.from(chunks) });
    assert.equal(reply.status, 200);
    assert.equal(reply.body.length, 10 * 1024 * 1024);
    assert.equal(createHash('sha256').update(reply.body).digest('hex'), digest.digest('hex'));
    const echoed = JSON.parse(String(reply.headers['x-echo-headers'])) as Record<string, string>;
    assert.equal(echoed['transfer-encoding'], 'chunked');

    const download = await send(proxy.proxyUrl, { path: '/?bytes=20000000', headers: { host: 'payments' } });
    assert.equal(download.body.length, 20_000_000);
  });

  it('answers HEAD and OPTIONS', async () => {
    const head = await send(proxy.proxyUrl, { method: 'HEAD', path: '/', headers: { host: 'payments' } });
    assert.equal(head.status, 200);
    assert.equal(head.body.length, 0);
    const options = await send(proxy.proxyUrl, { method: 'OPTIONS', path: '/', headers: { host: 'payments' } });
    assert.equal(options.status, 200);
  });

  it('serves many requests over one keep-alive connection', async () => {
    const { Agent } = await import('node:http');
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const replies = await Promise.all(Array.from({ length: 20 }, (_, i) => send(proxy.proxyUrl, { path: `/?i=${i}`, headers: { host: 'payments' }, agent })));
      assert.deepEqual(replies.map((r) => r.status), Array(20).fill(200));
    } finally {
      agent.destroy();
    }
  });
});
