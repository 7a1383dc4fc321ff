import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { TcpProxy, toxicAttributes, type Stream, type TcpProxyOptions, type ToxicSpec, type ToxicType } from '../../../toxiproxy/tcp/index.js';
import { waitFor } from '../../helpers/wait.js';

/** A loopback TCP server the proxy forwards to. */
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
}

/**
 * What the TCP tests share: upstream servers, proxies and clients, all on
 * 127.0.0.1 with ports the system picks, all ended by close() in after().
 */
export class TcpFixture {
  private readonly servers: Server[] = [];
  private readonly proxies: TcpProxy[] = [];
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

  /** A started proxy on 127.0.0.1, port 0, to `upstream`. */
  async proxy(upstream: Upstream | string, opts: Partial<TcpProxyOptions> = {}): Promise<TcpProxy> {
    const p = new TcpProxy({ name: 'test', listen: '127.0.0.1:0', upstream: typeof upstream === 'string' ? upstream : upstream.address, ...opts });
    this.proxies.push(p);
    await p.start();
    return p;
  }

  dial(target: TcpProxy | Upstream): Promise<Client> {
    const port = 'listenAddress' in target ? Number(target.listenAddress.split(':').at(-1)) : target.port;
    return new Promise((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port });
      this.sockets.push(socket);
      const parts: Buffer[] = [];
      const chunks: { at: number; bytes: number }[] = [];
      let ended = false;
      let code: string | undefined;
      socket.on('data', (d: Buffer) => {
        parts.push(d);
        chunks.push({ at: performance.now(), bytes: d.length });
      });
      socket.on('end', () => (ended = true));
      socket.on('error', (err: NodeJS.ErrnoException) => (code = err.code));
      const closed = new Promise<{ code: string | undefined; at: number }>((done) => socket.once('close', () => done({ code, at: performance.now() })));
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve({ socket, received: () => Buffer.concat(parts), chunks, ended: () => ended, closed });
      });
      socket.once('error', reject);
    });
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await Promise.all(this.proxies.map((p) => p.stop()));
    await Promise.all(this.servers.map((s) => new Promise((resolve) => s.close(resolve))));
  }
}

/** A toxic spec with its attributes validated and filled as the API would. */
export function toxic(type: ToxicType, attributes: Record<string, number>, opts: { name?: string; stream?: Stream; toxicity?: number } = {}): ToxicSpec {
  const stream = opts.stream ?? 'downstream';
  return { name: opts.name ?? `${type}_${stream}`, type, stream, toxicity: opts.toxicity ?? 1, attributes: toxicAttributes(type, attributes) };
}

/** Waits until the client has received `n` bytes in all, and returns them. */
export async function receive(c: Client, n: number, what = `${n} bytes arrived`): Promise<Buffer> {
  await waitFor(() => c.received().length >= n, what);
  return c.received();
}

/** Sends `text` and returns how long until it came back whole (the echo's round trip through the proxy). */
export async function roundTrip(c: Client, text: string): Promise<number> {
  const want = c.received().length + text.length;
  const started = performance.now();
  c.socket.write(text);
  await receive(c, want, `the echo of "${text}" arrived`);
  // The arrival time of the last chunk, not when the poll noticed it.
  return c.chunks.at(-1)!.at - started;
}
