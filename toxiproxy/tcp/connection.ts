import { connect, type Socket } from 'node:net';
import type { Timers } from '../../proxy/core/timers.js';
import type { Endpoint } from './address.js';
import { Link, type LinkHost } from './link.js';
import type { Random, Stream, ToxicSpec } from './types.js';

/** What a connection needs from its proxy. */
export interface ConnectionContext {
  readonly timers: Timers;
  readonly random: Random;
  /** The proxy's toxics as they are when the upstream answers. */
  toxics(): readonly ToxicSpec[];
  readonly bytes: Record<Stream, { received: number; sent: number }>;
  applied(toxic: string): void;
  left(toxic: string): void;
  connectFailed(): void;
  /** Both sockets are closed; the proxy forgets the connection. */
  gone(connection: Connection): void;
}

/**
 * A client, its upstream socket, and a link each way: `upstream` reads the
 * client and writes the upstream, `downstream` the reverse. An end (FIN)
 * passes through in its own direction and the other stays open, as TCP
 * allows; both sockets close once both directions have ended. An error on
 * either socket closes both.
 */
export class Connection {
  private readonly upstream: Socket;
  private links: readonly [Link, Link] | undefined;
  private finished = 0;
  private over = false;

  constructor(
    private readonly client: Socket,
    to: Endpoint,
    private readonly ctx: ConnectionContext,
  ) {
    // Go sets TCP_NODELAY on every connection; without it Nagle would add its own latency to small writes.
    client.setNoDelay(true);
    this.upstream = connect({ host: to.host, port: to.port, allowHalfOpen: true, noDelay: true });
    this.upstream.once('connect', () => this.link());
    for (const socket of [client, this.upstream]) {
      socket.on('error', () => {
        if (socket === this.upstream && !this.links) this.ctx.connectFailed();
        this.destroy();
      });
      socket.once('close', (hadError) => {
        // A clean close means the socket's own two directions are done; the other socket may still be flushing.
        if (hadError || !this.links) this.destroy();
      });
    }
  }

  setToxics(toxics: readonly ToxicSpec[]): void {
    if (!this.links || this.over) return;
    for (const link of this.links) link.apply(toxics.filter((t) => t.stream === link.stream));
  }

  /** Closes both sockets now: the proxy stopped. */
  destroy(): void {
    if (this.over) return;
    this.over = true;
    for (const link of this.links ?? []) link.dispose();
    this.client.destroy();
    this.upstream.destroy();
    this.ctx.gone(this);
  }

  private link(): void {
    if (this.over) return;
    const toxics = this.ctx.toxics();
    const host = (stream: Stream): LinkHost => ({
      timers: this.ctx.timers,
      random: this.ctx.random,
      bytes: this.ctx.bytes[stream],
      applied: (name) => this.ctx.applied(name),
      left: (name) => this.ctx.left(name),
      close: () => this.closeBoth(),
      reset: () => this.reset(),
      finished: () => {
        if (++this.finished === 2) this.destroy();
      },
    });
    const of = (stream: Stream) => toxics.filter((t) => t.stream === stream);
    this.links = [
      new Link('upstream', this.client, this.upstream, host('upstream'), of('upstream')),
      new Link('downstream', this.upstream, this.client, host('downstream'), of('downstream')),
    ];
    for (const link of this.links) link.start();
  }

  /** A toxic ended the connection: each direction delivers what its toxics hold, then ends; both sockets close after. */
  private closeBoth(): void {
    for (const link of this.links ?? []) link.endInput();
  }

  /** TCP RST to both peers: unsent bytes are discarded, each side sees ECONNRESET. */
  private reset(): void {
    if (this.over) return;
    for (const socket of [this.client, this.upstream]) if (!socket.destroyed) socket.resetAndDestroy();
    this.destroy();
  }
}
