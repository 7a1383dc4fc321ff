import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { waitFor } from '../../helpers/wait.js';
import { closed, handshake, nextMessage, opened, startWsFixture, type WsFixture } from './ws-fixture.js';

describe('WebSocket upgrades through the proxy', () => {
  let f: WsFixture;
  before(async () => (f = await startWsFixture()));
  afterEach(() => f.clearFaults());
  after(() => f.stop());

  it('echoes text and binary messages both ways', async () => {
    const ws = f.connect('/room?user=1', 'chat', { 'x-request-id': 'ws-echo-1' });
    await opened(ws);
    const text = nextMessage(ws);
    ws.send('hello through the mesh');
    assert.equal(await text, 'hello through the mesh');
    const binary = nextMessage(ws);
    ws.send(new Uint8Array([0, 1, 2, 254, 255]));
    assert.deepEqual([...new Uint8Array((await binary) as ArrayBuffer)], [0, 1, 2, 254, 255]);
    const seen = f.upstream.handshakes.at(-1)!;
    assert.equal(seen['x-request-id'], 'ws-echo-1');
    assert.match(String(seen.traceparent), /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    assert.equal(seen['x-forwarded-for'], '127.0.0.1');
    assert.equal(seen.upgrade, 'websocket');
    ws.close();
  });

  it('keeps upgrade and connection: upgrade, and drops the other hop-by-hop headers', async () => {
    const reply = await handshake(f.proxyPort, 'chat', '/', { connection: 'keep-alive, Upgrade, x-hop', 'x-hop': 'secret', 'keep-alive': 'timeout=5', 'x-request-id': 'raw-1' });
    assert.equal(reply.kind, 'upgraded');
    if (reply.kind !== 'upgraded') return;
    reply.socket.destroy();
    assert.equal(reply.headers['x-request-id'], 'raw-1');
    const seen = f.upstream.handshakes.at(-1)!;
    assert.equal(seen.connection, 'upgrade');
    assert.equal(seen.upgrade, 'websocket');
    assert.equal(seen['x-hop'], undefined);
    assert.equal(seen['keep-alive'], undefined);
  });

  it('passes a close from the client to the upstream, and one from the upstream to the client', async () => {
    const fromClient = f.connect();
    await opened(fromClient);
    const before = f.upstream.closes.length;
    fromClient.close(4001, 'client says bye');
    await waitFor(() => f.upstream.closes.length > before, 'the upstream saw the close');
    assert.equal(f.upstream.closes.at(-1), 4001);

    const fromServer = f.connect();
    await opened(fromServer);
    const ended = closed(fromServer);
    fromServer.send('server-close');
    assert.deepEqual(await ended, { code: 4002, reason: 'server says bye' });
  });

  it('refuses the upgrade with an abort fault\'s status, marked as the proxy\'s, and the upstream never sees it', async () => {
    const id = await f.addFault({ id: 'ws-503', target: 'chat', abort: { status: 503, body: 'chat is down', headers: { 'retry-after': '1' } } });
    const before = f.upstream.handshakes.length;
    const reply = await handshake(f.proxyPort, 'chat');
    assert.equal(reply.kind, 'refused');
    if (reply.kind !== 'refused') return;
    assert.equal(reply.status, 503);
    assert.equal(reply.body, 'chat is down');
    assert.equal(reply.headers['retry-after'], '1');
    assert.equal(reply.headers['x-faultmesh-fault'], 'ws-503');
    assert.equal(reply.headers['x-faultmesh-error'], 'FAULT_ABORT');
    assert.equal(f.upstream.handshakes.length, before);
    assert.equal(await f.hits(id), 1);
  });

  it('cuts the connection with no answer under a reset fault', async () => {
    const id = await f.addFault({ target: 'chat', reset: true });
    const before = f.upstream.handshakes.length;
    const reply = await handshake(f.proxyPort, 'chat');
    assert.equal(reply.kind, 'cut');
    assert.equal(f.upstream.handshakes.length, before);
    assert.equal(await f.hits(id), 1);
  });

  it('opens after a delay fault, which counts a hit, and the connection then works', async () => {
    const id = await f.addFault({ target: 'chat', delay: { fixed: '100ms' } });
    const ws = f.connect();
    await opened(ws);
    assert.equal(await f.hits(id), 1);
    const echo = nextMessage(ws);
    ws.send('late but fine');
    assert.equal(await echo, 'late but fine');
    ws.close();
  });

  it('answers what the proxy refuses as on the HTTP path: status, JSON code and x-faultmesh-error', async () => {
    const cases = [
      { what: 'a service not in the mesh', host: 'nowhere', body: undefined, status: 404, code: 'UNKNOWN_SERVICE' },
      { what: 'an instance that refuses connections', host: 'gone', body: undefined, status: 502, code: 'UPSTREAM_CONNECT_FAILED' },
      { what: 'an upgrade that carries a body', host: 'chat', body: 'hello', status: 400, code: 'UPGRADE_WITH_BODY' },
    ];
    for (const c of cases) {
      const reply = await handshake(f.proxyPort, c.host, '/', c.body === undefined ? {} : { 'content-length': String(c.body.length) }, c.body);
      assert.equal(reply.kind, 'refused', c.what);
      if (reply.kind !== 'refused') continue;
      assert.equal(reply.status, c.status, c.what);
      assert.equal(reply.headers['x-faultmesh-error'], c.code, c.what);
      assert.equal(JSON.parse(reply.body).code, c.code, c.what);
    }
  });

  it('relays an upstream\'s refusal of the handshake, body and all', async () => {
    const reply = await handshake(f.proxyPort, 'chat', '/refuse');
    assert.equal(reply.kind, 'refused');
    if (reply.kind !== 'refused') return;
    assert.equal(reply.status, 403);
    assert.equal(reply.body, 'nope!');
    assert.equal(reply.headers['transfer-encoding'], undefined);
  });

  it('counts upgrades in faultmesh_requests_total with code 101', async () => {
    const ws = f.connect();
    await opened(ws);
    ws.close();
    const text = await f.proxy.metrics.registry.getSingleMetricAsString('faultmesh_requests_total');
    assert.match(text, /faultmesh_requests_total\{source="unknown",destination="chat",instance="chat-1",code="101"\} [1-9]/);
    // The refused upgrade for a service not in the mesh, as a request to an unknown one is counted.
    assert.match(text, /destination="unknown",instance="none",code="404"\} [1-9]/);
  });
});

describe('the handshake\'s deadline', () => {
  let f: WsFixture;
  before(async () => (f = await startWsFixture({ timeoutMs: 300, maxHangMs: 600 })));
  afterEach(() => f.clearFaults());
  after(() => f.stop());

  it('answers 504 when a delay fault outlasts the timeout, and the instance is never dialled', async () => {
    await f.addFault({ target: 'chat', delay: { fixed: '30s' } });
    const before = f.upstream.handshakes.length;
    const reply = await handshake(f.proxyPort, 'chat');
    assert.equal(reply.kind, 'refused');
    if (reply.kind !== 'refused') return;
    assert.equal(reply.status, 504);
    assert.equal(reply.headers['x-faultmesh-error'], 'UPSTREAM_TIMEOUT');
    assert.equal(f.upstream.handshakes.length, before);
  });

  it('lets a hang fault outlast the timeout, and cuts it at --max-hang with no answer', async () => {
    await f.addFault({ target: 'chat', hang: true });
    const reply = await handshake(f.proxyPort, 'chat');
    assert.equal(reply.kind, 'cut');
  });
});

describe('shutting down with WebSockets open', () => {
  it('cuts open connections instead of waiting on them', async () => {
    const f = await startWsFixture();
    try {
      const ws = f.connect();
      await opened(ws);
      const ended = closed(ws);
      await f.closeProxy(200);
      // 1006: the connection ended with no close frame, as a cut one does.
      assert.equal((await ended).code, 1006);
      await waitFor(() => f.upstream.open() === 0, 'the upstream side was freed too');
    } finally {
      await f.stop();
    }
  });
});
