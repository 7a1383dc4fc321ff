import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, request, type IncomingMessage, type OutgoingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { ForwarderKind } from '../../../proxy/forward/forwarder.js';
import type { RunningProxy } from '../../../proxy/proxy-app.js';
import { send, type Reply } from '../../helpers/http-client.js';
import { startTestProxy, tempDir } from '../../helpers/mesh-fixture.js';

/** One request as an upstream saw it, with what happened to it since. */
export class Seen {
  readonly chunks: Buffer[] = [];
  /** The whole body arrived. */
  ended = false;
  /** The request was cut before its body ended. */
  cut = false;
  /** The connection closed before the response was finished. */
  responseCut = false;
  socketClosed = false;

  constructor(
    readonly instance: string,
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
  ) {
    req.on('data', (c: Buffer) => this.chunks.push(c));
    req.once('end', () => (this.ended = true));
    req.once('aborted', () => (this.cut = true));
    req.once('close', () => {
      if (!req.complete) this.cut = true;
    });
    res.once('close', () => {
      if (!res.writableFinished) this.responseCut = true;
    });
    req.socket.once('close', () => (this.socketClosed = true));
  }

  body(): Buffer {
    return Buffer.concat(this.chunks);
  }

  /** Resolves with the body once it has all arrived. */
  whole(): Promise<Buffer> {
    return this.ended ? Promise.resolve(this.body()) : new Promise((resolve) => this.req.once('end', () => resolve(this.body())));
  }
}

export type UpstreamHandler = (seen: Seen) => void;

/** Answers with what arrived: method, target, size and digest of the body. */
export const describeRequest: UpstreamHandler = (seen) => {
  void seen.whole().then((body) => {
    const text = JSON.stringify({ instance: seen.instance, method: seen.req.method, url: seen.req.url, bytes: body.length, sha: sha256(body) });
    seen.res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    seen.res.end(text);
  });
};

/** A node:http upstream the test steers: each request goes to `handler`, and is kept in `seen`. */
export class Upstream {
  handler: UpstreamHandler = describeRequest;
  readonly seen: Seen[] = [];
  private readonly sockets = new Set<Socket>();
  private constructor(
    readonly instance: string,
    readonly server: Server,
  ) {
    server.on('connection', (s: Socket) => {
      this.sockets.add(s);
      s.once('close', () => this.sockets.delete(s));
    });
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      const seen = new Seen(instance, req, res);
      this.seen.push(seen);
      this.handler(seen);
    });
  }

  static async start(instance: string): Promise<Upstream> {
    const server = createServer({ keepAliveTimeout: 60_000 });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new Upstream(instance, server);
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** Open connections from the proxy. */
  connections(): number {
    return this.sockets.size;
  }

  last(): Seen | undefined {
    return this.seen.at(-1);
  }

  reset(): void {
    this.handler = describeRequest;
    this.seen.length = 0;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

export const sha256 = (data: Buffer | readonly Buffer[]): string => {
  const h = createHash('sha256');
  for (const c of Buffer.isBuffer(data) ? [data] : data) h.update(c);
  return h.digest('hex');
};

/** Every case's own limit, so a proxy that never answers fails the case that waits rather than hanging the run. */
export const CASE = { timeout: 30_000 } as const;

export const OTHER: Record<ForwarderKind, ForwarderKind> = { undici: 'hpm', hpm: 'undici' };

const NO_OUTLIERS = 'outlierDetection: { enabled: false }';

/**
 * A proxy started with forwarder `kind` in front of upstreams the test
 * steers. Services: `plain` (one instance, no retries), `retrying` (two
 * instances, one retry on 5xx and timeouts, 200 ms per try, POST included),
 * `refused` (an address nothing listens on) and `other` (the plain upstream,
 * through the other forwarder, named by the service's `forwarder:`).
 */
export async function startForwardFixture(kind: ForwarderKind) {
  const dir = tempDir();
  const plain = await Upstream.start('plain-1');
  const tries = [await Upstream.start('try-1'), await Upstream.start('try-2')] as const;
  const closedPort = await freePort();
  const accessLog = `${dir.path}/access.log`;
  const yaml = `services:
  plain:
    instances: [{ id: plain-1, address: "127.0.0.1:${plain.port}" }]
    policy: { timeout: 20s, retries: { attempts: 0 }, ${NO_OUTLIERS} }
  retrying:
    instances: [{ id: try-1, address: "127.0.0.1:${tries[0].port}" }, { id: try-2, address: "127.0.0.1:${tries[1].port}" }]
    policy:
      timeout: 20s
      retries: { attempts: 1, perTryTimeout: 1s, retryOn: [5xx, gateway-error], methods: [GET, POST], backoff: { base: 1ms, max: 1ms }, budget: { percent: 100, minPerSecond: 100 } }
      ${NO_OUTLIERS}
  refused:
    instances: [{ id: refused-1, address: "127.0.0.1:${closedPort}" }]
    policy: { retries: { attempts: 0 }, ${NO_OUTLIERS} }
  other:
    forwarder: ${OTHER[kind]}
    instances: [{ id: other-1, address: "127.0.0.1:${plain.port}" }]
    policy: { retries: { attempts: 0 }, ${NO_OUTLIERS} }
`;
  const proxy: RunningProxy = await startTestProxy(dir.file('mesh.yaml', yaml), { forwarder: kind, accessLog: { kind: 'file', path: accessLog } });
  const proxyPort = Number(new URL(proxy.proxyUrl).port);
  return {
    kind,
    proxy,
    proxyPort,
    plain,
    tries,
    reset() {
      for (const u of [plain, ...tries]) u.reset();
    },
    /** A request through the proxy to `service`, body read whole. */
    call: (service: string, options: Parameters<typeof send>[1] = {}): Promise<Reply> => send(proxy.proxyUrl, { ...options, headers: { host: service, ...options.headers } }),
    /** A request through the proxy, left open for the test to write and end; its response arrives through `response`. */
    open(service: string, options: { method?: string; path?: string; headers?: OutgoingHttpHeaders } = {}) {
      const method = options.method ?? 'POST';
      // Framed explicitly: Node's client frames no body of its own for GET or DELETE.
      const framing = method === 'GET' || method === 'HEAD' ? {} : { 'transfer-encoding': 'chunked' };
      const req = request({ host: '127.0.0.1', port: proxyPort, method, path: options.path ?? '/', headers: { host: service, ...framing, ...options.headers }, agent: false });
      const response = new Promise<IncomingMessage>((resolve, reject) => {
        req.once('response', resolve);
        req.once('error', reject);
      });
      return { req, response };
    },
    /** Each service's forwarder as GET /v1/services shows it. */
    async forwarders(): Promise<Record<string, string>> {
      const services = (await send(proxy.adminUrl, { path: '/v1/services' })).json<{ services: Array<{ name: string; forwarder: string }> }>().services;
      return Object.fromEntries(services.map((s) => [s.name, s.forwarder]));
    },
    /** Each instance's in-flight count as GET /v1/services shows it, and the proxy's in-flight gauge. */
    async inFlight(): Promise<{ instances: Record<string, number>; proxy: number }> {
      const services = (await send(proxy.adminUrl, { path: '/v1/services' })).json<{ services: Array<{ instances: Array<{ id: string; inFlight: number }> }> }>().services;
      const instances: Record<string, number> = {};
      for (const s of services) for (const i of s.instances) instances[i.id] = i.inFlight;
      const metrics = (await send(proxy.adminUrl, { path: '/metrics' })).text();
      const gauge = /^faultmesh_requests_in_flight (\d+)$/m.exec(metrics);
      return { instances, proxy: Number(gauge?.[1] ?? NaN) };
    },
    /** The access-log lines written so far (the log is flushed at least every second). */
    accessLines(): Array<{ requestId: string; flags: string[]; status: number }> {
      let text = '';
      try {
        text = readFileSync(accessLog, 'utf8');
      } catch {
        return [];
      }
      return text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { requestId: string; flags: string[]; status: number });
    },
    async stop() {
      await proxy.close(1000);
      for (const u of [plain, ...tries]) await u.close();
      dir.remove();
    },
  };
}

export type ForwardFixture = Awaited<ReturnType<typeof startForwardFixture>>;

/** A loopback port nothing listens on (listened on once, then closed). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Reads a response body whole. */
export async function readAll(res: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of res) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}
