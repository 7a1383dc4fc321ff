import assert from 'node:assert/strict';
import { createServer, request, type IncomingHttpHeaders } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { Agent, WebSocket } from 'undici';
import { WebSocketServer, type WebSocket as UpstreamSocket } from 'ws';
import type { ProxyOptions, RunningProxy } from '../../../proxy/proxy-app.js';
import { AUTH, TOKEN } from '../../helpers/fault-fixture.js';
import { send } from '../../helpers/http-client.js';
import { startTestProxy, tempDir } from '../../helpers/mesh-fixture.js';

/**
 * A WebSocket echo upstream (the `ws` package): text comes back as text,
 * binary as binary; "server-close" makes it close with 4002. `/refuse`
 * declines the handshake with a chunked 403, as a server may.
 */
export async function startWsUpstream() {
  const server = createServer();
  const wss = new WebSocketServer({ noServer: true });
  const handshakes: IncomingHttpHeaders[] = [];
  const closes: number[] = [];
  const open = new Set<UpstreamSocket>();
  server.on('upgrade', (req, socket, head) => {
    handshakes.push(req.headers);
    if (req.url === '/refuse') {
      socket.end('HTTP/1.1 403 Forbidden\r\ncontent-type: text/plain\r\ntransfer-encoding: chunked\r\n\r\n5\r\nnope!\r\n0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      open.add(ws);
      ws.on('message', (data, isBinary) => {
        if (!isBinary && data.toString() === 'server-close') ws.close(4002, 'server says bye');
        else ws.send(data, { binary: isBinary });
      });
      ws.on('close', (code) => {
        open.delete(ws);
        closes.push(code);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    /** The headers of every handshake that reached the upstream. */
    handshakes,
    /** Close codes the upstream saw, one per connection that ended. */
    closes,
    open: () => open.size,
    async close() {
      for (const ws of open) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A port nothing listens on: an instance that refuses connections. */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The echo upstream as service `chat`, an instance that refuses connections as `gone`, and a proxy in front. */
export async function startWsFixture(options: Partial<ProxyOptions> = {}) {
  const upstream = await startWsUpstream();
  const dir = tempDir();
  const mesh = `services:\n  chat:\n    instances:\n      - { id: chat-1, address: 127.0.0.1:${upstream.port} }\n  gone:\n    instances:\n      - { id: gone-1, address: 127.0.0.1:${await deadPort()} }\n`;
  const proxy: RunningProxy = await startTestProxy(dir.file('mesh.yaml', mesh), { adminToken: TOKEN, ...options });
  const proxyPort = Number(new URL(proxy.proxyUrl).port);
  // undici's WebSocket sends the URL's host: every host is dialled at the proxy, so ws://chat/ names the service.
  const dispatcher = new Agent({
    connect: (_options, done) => {
      const socket = connect(proxyPort, '127.0.0.1');
      socket.once('connect', () => done(null, socket));
      socket.once('error', (err) => done(err, null));
    },
  });
  const clients: WebSocket[] = [];
  let proxyClosed: ReturnType<RunningProxy['close']> | undefined;
  const closeProxy = (drainMs = 500) => (proxyClosed ??= proxy.close(drainMs));
  return {
    proxy,
    /** Closes the proxy once; stop() after it does not close it again. */
    closeProxy,
    proxyPort,
    upstream,
    /** A WebSocket to `ws://<service><path>` through the proxy, binary messages as ArrayBuffers. */
    connect(path = '/', service = 'chat', headers: Record<string, string> = {}): WebSocket {
      const ws = new WebSocket(`ws://${service}${path}`, { dispatcher, headers });
      ws.binaryType = 'arraybuffer';
      clients.push(ws);
      return ws;
    },
    async addFault(rule: Record<string, unknown>): Promise<string> {
      const reply = await send(proxy.adminUrl, { method: 'POST', path: '/v1/faults', headers: { ...AUTH, 'content-type': 'application/json' }, body: JSON.stringify({ ttl: '60s', ...rule }) });
      assert.equal(reply.status, 201, reply.text());
      return reply.json<{ id: string }>().id;
    },
    async hits(id: string): Promise<number> {
      const reply = await send(proxy.adminUrl, { path: `/v1/faults/${id}`, headers: AUTH });
      return reply.json<{ counts: { hit: number } }>().counts.hit;
    },
    clearFaults: () => send(proxy.adminUrl, { method: 'DELETE', path: '/v1/faults', headers: AUTH }),
    async stop() {
      for (const ws of clients) ws.close();
      await closeProxy();
      await dispatcher.close();
      await upstream.close();
      dir.remove();
    },
  };
}

export type WsFixture = Awaited<ReturnType<typeof startWsFixture>>;

export type Handshake =
  | { readonly kind: 'upgraded'; readonly headers: IncomingHttpHeaders; readonly socket: Socket }
  | { readonly kind: 'refused'; readonly status: number; readonly headers: IncomingHttpHeaders; readonly body: string }
  | { readonly kind: 'cut'; readonly code: string | undefined };

/** A WebSocket handshake by hand, so a test sees the status, headers and body of a refusal, or the connection cut. */
export function handshake(port: number, host: string, path = '/', headers: Record<string, string> = {}, body?: string): Promise<Handshake> {
  return new Promise((resolve) => {
    const req = request({
      host: '127.0.0.1',
      port,
      path,
      agent: false,
      headers: { host, connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==', ...headers },
    });
    req.on('upgrade', (res, socket) => resolve({ kind: 'upgraded', headers: res.headers, socket }));
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ kind: 'refused', status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', (err: NodeJS.ErrnoException) => resolve({ kind: 'cut', code: err.code }));
    req.end(body);
  });
}

/** The next message a client receives. */
export function nextMessage(ws: WebSocket): Promise<string | ArrayBuffer> {
  return new Promise((resolve) => ws.addEventListener('message', (e) => resolve(e.data as string | ArrayBuffer), { once: true }));
}

/** Resolves once the client's connection is open; fails if it closes first. */
export function opened(ws: WebSocket): Promise<void> {
  return new Promise((resolve, reject) => {
    ws.addEventListener('open', () => resolve(), { once: true });
    ws.addEventListener('close', (e) => reject(new Error(`closed before opening (${e.code})`)), { once: true });
  });
}

/** Resolves with the close code and reason the client saw. */
export function closed(ws: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => ws.addEventListener('close', (e) => resolve({ code: e.code, reason: e.reason }), { once: true }));
}
