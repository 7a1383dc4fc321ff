import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { realTimers, type Timers } from '../../proxy/core/timers.js';
import { formatEndpoint, parseEndpoint, type Endpoint } from './address.js';
import { Connection } from './connection.js';
import { TcpProxyError } from './errors.js';
import type { Random, Stream, ToxicSpec } from './types.js';

export interface TcpProxyOptions {
  /** For messages. */
  readonly name: string;
  /** host:port; port 0 picks a free one, kept across stop and start (Toxiproxy rewrites `listen` to the bound address). */
  readonly listen: string;
  /** host:port the proxy dials for every client. */
  readonly upstream: string;
  /** Toxicity rolls, jitter and slice sizes draw from this (Math.random by default); seed it to replay a run. */
  readonly random?: Random;
  readonly timers?: Timers;
}

export interface TcpProxyStats {
  readonly connectionsTotal: number;
  readonly connectionsActive: number;
  /** Clients closed because the upstream could not be reached. */
  readonly connectFailures: number;
  /** Bytes written to the destination, per stream (what passed the toxics). */
  readonly bytes: Readonly<Record<Stream, number>>;
  /** Bytes read from the source, per stream. */
  readonly bytesReceived: Readonly<Record<Stream, number>>;
  /** Per toxic now set: connections it has applied to since it was set (rolled in), and how many of them are open. */
  readonly byToxic: Readonly<Record<string, { readonly connections: number; readonly active: number }>>;
}

/**
 * One Toxiproxy "proxy": a TCP listener that forwards each client to the
 * upstream through the toxics of each stream. Toxics set while connections
 * are open apply to them too (Toxiproxy re-links live connections).
 *
 * @example
 * const p = new TcpProxy({ name: 'redis', listen: '127.0.0.1:0', upstream: '127.0.0.1:6379' });
 * await p.start();
 * p.setToxics([{ name: 'slow', type: 'latency', stream: 'downstream', toxicity: 1, attributes: { latency: 100, jitter: 0 } }]);
 */
export class TcpProxy {
  readonly name: string;
  private listenAt: Endpoint;
  private bound: Endpoint | undefined;
  private upstreamAt: Endpoint;
  private server: Server | undefined;
  private toxics: readonly ToxicSpec[] = [];
  private readonly connections = new Set<Connection>();
  private readonly tally = new Map<string, { connections: number; active: number }>();
  private readonly bytes: Record<Stream, { received: number; sent: number }> = { upstream: { received: 0, sent: 0 }, downstream: { received: 0, sent: 0 } };
  private connectionsTotal = 0;
  private connectFailures = 0;
  private readonly random: Random;
  private readonly timers: Timers;

  constructor(opts: TcpProxyOptions) {
    this.name = opts.name;
    this.listenAt = parseEndpoint(opts.listen, 'listen');
    this.upstreamAt = parseEndpoint(opts.upstream, 'upstream');
    this.random = opts.random ?? Math.random;
    this.timers = opts.timers ?? realTimers;
  }

  /** The bound host:port once started (and after a stop, the one a start binds again); the configured one before. */
  get listenAddress(): string {
    return formatEndpoint(this.bound ?? this.listenAt);
  }

  get upstream(): string {
    return formatEndpoint(this.upstreamAt);
  }

  get running(): boolean {
    return this.server !== undefined;
  }

  /** Listens; resolves once bound. A second start while running does nothing. */
  async start(): Promise<void> {
    if (this.server) return;
    const at = this.bound ?? this.listenAt;
    const server = createServer({ allowHalfOpen: true, pauseOnConnect: true }, (client) => this.accept(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err: NodeJS.ErrnoException) => reject(this.listenError(at, err)));
      server.listen({ host: at.host, port: at.port }, () => resolve());
    });
    // Accept errors (EMFILE) after this cost one client, not the process.
    server.on('error', () => {});
    const a = server.address() as AddressInfo;
    this.bound = { host: a.address, port: a.port };
    this.server = server;
  }

  /** Closes the listener and every connection (Toxiproxy's disabled proxy). */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const c of [...this.connections]) c.destroy();
    await closed;
  }

  /**
   * Where new connections go; open ones stay where they are. Toxiproxy
   * restarts a proxy whose upstream changes (its open connections close):
   * stop(), setUpstream(), start() does that.
   */
  setUpstream(upstream: string): void {
    this.upstreamAt = parseEndpoint(upstream, 'upstream');
  }

  /** A new address to listen on, taken at the next start. */
  setListen(listen: string): void {
    this.listenAt = parseEndpoint(listen, 'listen');
    this.bound = undefined;
  }

  /**
   * The proxy's whole ordered set of toxics (each stream's chain in this
   * order). Applies to open connections at once: a toxic added joins their
   * links, one removed first hands on what it holds, one changed keeps its
   * state and is rolled again.
   */
  setToxics(toxics: readonly ToxicSpec[]): void {
    const names = new Set(toxics.map((t) => t.name));
    if (names.size !== toxics.length) throw new TypeError(`proxy ${this.name}: toxic names must be unique, got ${toxics.map((t) => t.name).join(', ')}`);
    this.toxics = [...toxics];
    for (const name of names) if (!this.tally.has(name)) this.tally.set(name, { connections: 0, active: 0 });
    for (const c of this.connections) c.setToxics(this.toxics);
    for (const name of [...this.tally.keys()]) if (!names.has(name)) this.tally.delete(name);
  }

  stats(): TcpProxyStats {
    const byToxic: Record<string, { connections: number; active: number }> = {};
    for (const [name, t] of this.tally) byToxic[name] = { ...t };
    return {
      connectionsTotal: this.connectionsTotal,
      connectionsActive: this.connections.size,
      connectFailures: this.connectFailures,
      bytes: { upstream: this.bytes.upstream.sent, downstream: this.bytes.downstream.sent },
      bytesReceived: { upstream: this.bytes.upstream.received, downstream: this.bytes.downstream.received },
      byToxic,
    };
  }

  private accept(client: Socket): void {
    this.connectionsTotal++;
    const connection = new Connection(client, this.upstreamAt, {
      timers: this.timers,
      random: this.random,
      toxics: () => this.toxics,
      bytes: this.bytes,
      applied: (name) => {
        const t = this.tally.get(name);
        if (!t) return;
        t.connections++;
        t.active++;
      },
      left: (name) => {
        const t = this.tally.get(name);
        if (t) t.active--;
      },
      connectFailed: () => this.connectFailures++,
      gone: (c) => this.connections.delete(c),
    });
    this.connections.add(connection);
  }

  private listenError(at: Endpoint, err: NodeJS.ErrnoException): TcpProxyError {
    const where = `proxy ${this.name} cannot listen on ${formatEndpoint(at)}`;
    const why: Record<string, string> = {
      EADDRINUSE: 'the address is already in use',
      EACCES: 'permission denied (ports below 1024 need privileges)',
      EADDRNOTAVAIL: 'no interface of this machine has that address',
    };
    return new TcpProxyError('LISTEN_FAILED', `${where}: ${why[err.code ?? ''] ?? err.message}`, err.code);
  }
}
