import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import type { Timers } from '../../../proxy/core/timers.js';
import { startToxiproxyServer, type RunningToxiproxy, type ToxiproxyServerOptions } from '../../../toxiproxy/server.js';
import { send, type Reply } from '../../helpers/http-client.js';
import { waitFor } from '../../helpers/wait.js';

/** A client connection through a proxy: what it received, chunk by chunk, and how it ended. */
export interface Client {
  readonly socket: Socket;
  received(): Buffer;
  /** Arrival time (performance.now) and size of each chunk. */
  readonly chunks: { readonly at: number; readonly bytes: number }[];
  /** Resolves when the socket closed, with the error code if it failed (ECONNRESET), and when. */
  readonly closed: Promise<{ readonly code: string | undefined; readonly at: number }>;
  isClosed(): boolean;
}

/** The JSON API of a running server, called as Toxiproxy's README shows (curl-like, JSON bodies). */
export interface Api {
  readonly url: string;
  get(path: string, headers?: Record<string, string>): Promise<Reply>;
  post(path: string, body?: unknown, headers?: Record<string, string>): Promise<Reply>;
  patch(path: string, body: unknown, headers?: Record<string, string>): Promise<Reply>;
  del(path: string, headers?: Record<string, string>): Promise<Reply>;
}

/**
 * What the API tests share: the server on 127.0.0.1 port 0, echo upstreams,
 * and clients that dial a proxy by its `listen`; close() in after() ends all.
 */
export class ApiFixture {
  private readonly servers: Server[] = [];
  private readonly sockets: Socket[] = [];
  private readonly running: RunningToxiproxy[] = [];

  async start(options: Partial<ToxiproxyServerOptions> & { timers?: Timers } = {}): Promise<{ server: RunningToxiproxy; api: Api }> {
    const server = await startToxiproxyServer({ listen: { host: '127.0.0.1', port: 0 }, version: '0.0.0-test', ...options });
    this.running.push(server);
    return { server, api: apiAt(server.url) };
  }

  /** An upstream that echoes every byte and ends when the client ends. */
  echo(): Promise<{ address: string; port: number; sockets: Socket[] }> {
    return this.upstream((s) => {
      s.on('data', (d) => s.write(d));
      s.on('end', () => s.end());
    });
  }

  /** An upstream whose sockets `handle` drives. */
  async upstream(handle: (s: Socket) => void): Promise<{ address: string; port: number; sockets: Socket[] }> {
    const sockets: Socket[] = [];
    const server = createServer({ allowHalfOpen: true }, (s) => {
      sockets.push(s);
      this.sockets.push(s);
      s.on('error', () => {});
      handle(s);
    });
    this.servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    return { address: `127.0.0.1:${port}`, port, sockets };
  }

  /** Connects to a proxy's `listen` (host:port as the API shows it). */
  dial(listen: string): Promise<Client> {
    const port = Number(listen.split(':').at(-1));
    return new Promise((resolve, reject) => {
      // Not half-open: like most clients, it closes when the proxy ends the connection.
      const socket = connect({ host: '127.0.0.1', port });
      this.sockets.push(socket);
      const parts: Buffer[] = [];
      const chunks: { at: number; bytes: number }[] = [];
      let code: string | undefined;
      let closedNow = false;
      socket.on('data', (d: Buffer) => {
        parts.push(d);
        chunks.push({ at: performance.now(), bytes: d.length });
      });
      socket.on('error', (err: NodeJS.ErrnoException) => (code = err.code));
      const closed = new Promise<{ code: string | undefined; at: number }>((done) =>
        socket.once('close', () => {
          closedNow = true;
          done({ code, at: performance.now() });
        }),
      );
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve({ socket, received: () => Buffer.concat(parts), chunks, closed, isClosed: () => closedNow });
      });
      socket.once('error', reject);
    });
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await Promise.all(this.running.map((r) => r.close()));
    await Promise.all(this.servers.map((s) => new Promise((resolve) => s.close(resolve))));
  }
}

export function apiAt(url: string): Api {
  const json = (method: string, path: string, body: unknown, headers: Record<string, string> = {}) =>
    send(url, { method, path, headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  return {
    url,
    get: (path, headers = {}) => send(url, { path, headers }),
    post: (path, body, headers = {}) => (body === undefined ? send(url, { method: 'POST', path, headers }) : json('POST', path, body, headers)),
    patch: (path, body, headers) => json('PATCH', path, body, headers),
    del: (path, headers = {}) => send(url, { method: 'DELETE', path, headers }),
  };
}

/** Sends `text` and returns the ms until it came back whole (the echo's round trip through the proxy). */
export async function roundTrip(c: Client, text: string): Promise<number> {
  const want = c.received().length + Buffer.byteLength(text);
  const started = performance.now();
  c.socket.write(text);
  await waitFor(() => c.received().length >= want, `the echo of ${JSON.stringify(text.slice(0, 20))} arrived`);
  return c.chunks.at(-1)!.at - started;
}
