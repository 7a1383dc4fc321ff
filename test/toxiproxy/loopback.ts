import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { waitFor } from '../helpers/wait.js';

/** A loopback TCP server a proxy forwards to. */
export interface Upstream {
  readonly port: number;
  readonly address: string;
  /** Sockets it accepted, open or not, in order. */
  readonly sockets: Socket[];
}

/** A client connection that keeps what it received, chunk by chunk, and how it ended. */
export interface Client {
  readonly socket: Socket;
  received(): Buffer;
  /** Arrival time (performance.now) and size of every chunk. */
  readonly chunks: { readonly at: number; readonly bytes: number }[];
  /** Set once the peer's end (FIN) arrived. */
  readonly ended: () => boolean;
  /** Resolves when the socket closed, with the error code if it failed (ECONNRESET), and when. */
  readonly closed: Promise<{ readonly code: string | undefined; readonly at: number }>;
  isClosed(): boolean;
}

/**
 * The upstreams and clients every toxiproxy test needs, all on 127.0.0.1
 * with ports the system picks, all ended by close() in after(). The TCP
 * and API fixtures add proxies and servers on top.
 */
export class Loopback {
  private readonly servers: Server[] = [];
  private readonly sockets: Socket[] = [];

  /** An upstream that echoes every byte and ends when the client ends (a half-close passes both ways). */
  echo(): Promise<Upstream> {
    return this.upstream((s) => {
      s.on('data', (d) => s.write(d));
      s.on('end', () => s.end());
    });
  }

  /** An upstream whose sockets `handle` drives; allowHalfOpen, so an end is the handler's to answer. */
  async upstream(handle: (s: Socket) => void): Promise<Upstream> {
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
    return { port, address: `127.0.0.1:${port}`, sockets };
  }

  /** Connects to 127.0.0.1:port. Not half-open: like most clients, it closes when the proxy ends the connection. */
  dial(port: number): Promise<Client> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port });
      this.sockets.push(socket);
      const parts: Buffer[] = [];
      const chunks: { at: number; bytes: number }[] = [];
      let ended = false;
      let closedNow = false;
      let code: string | undefined;
      socket.on('data', (d: Buffer) => {
        parts.push(d);
        chunks.push({ at: performance.now(), bytes: d.length });
      });
      socket.on('end', () => (ended = true));
      socket.on('error', (err: NodeJS.ErrnoException) => (code = err.code));
      const closed = new Promise<{ code: string | undefined; at: number }>((done) =>
        socket.once('close', () => {
          closedNow = true;
          done({ code, at: performance.now() });
        }),
      );
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve({ socket, received: () => Buffer.concat(parts), chunks, ended: () => ended, closed, isClosed: () => closedNow });
      });
      socket.once('error', reject);
    });
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await Promise.all(this.servers.map((s) => new Promise((resolve) => s.close(resolve))));
  }
}

/** A port that was free a moment ago: a test that must name a port (a fixed listen, a control plane gone) asks for one. */
export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise((resolve) => s.close(resolve));
  return port;
}

/** The port of a `host:port` as Toxiproxy shows a proxy's listen. */
export const portOf = (listen: string): number => Number(listen.split(':').at(-1));

/** Waits until the client has received `n` bytes in all, and returns them. */
export async function receive(c: Client, n: number, what = `${n} bytes arrived`): Promise<Buffer> {
  await waitFor(() => c.received().length >= n, what);
  return c.received();
}

/** Sends `text` and returns the ms until it came back whole (the echo's round trip through the proxy), by the last chunk's arrival. */
export async function roundTrip(c: Client, text: string): Promise<number> {
  const want = c.received().length + Buffer.byteLength(text);
  const started = performance.now();
  c.socket.write(text);
  await receive(c, want, `the echo of ${JSON.stringify(text.slice(0, 20))} arrived`);
  return c.chunks.at(-1)!.at - started;
}
