import { TcpProxy, toxicAttributes, type Stream, type TcpProxyOptions, type ToxicSpec, type ToxicType } from '../../../toxiproxy/tcp/index.js';
import { Loopback, portOf, type Client, type Upstream } from '../loopback.js';

export { receive, roundTrip, type Client, type Upstream } from '../loopback.js';

/**
 * What the TCP tests share: upstream servers, proxies and clients, all on
 * 127.0.0.1 with ports the system picks, all ended by close() in after().
 */
export class TcpFixture {
  private readonly loopback = new Loopback();
  private readonly proxies: TcpProxy[] = [];

  /** An upstream that echoes every byte and ends when the client ends (a half-close passes both ways). */
  echo(): Promise<Upstream> {
    return this.loopback.echo();
  }

  /** An upstream whose sockets `handle` drives; allowHalfOpen, so an end is the handler's to answer. */
  upstream(handle: Parameters<Loopback['upstream']>[0]): Promise<Upstream> {
    return this.loopback.upstream(handle);
  }

  /** A started proxy on 127.0.0.1, port 0, to `upstream`. */
  async proxy(upstream: Upstream | string, opts: Partial<TcpProxyOptions> = {}): Promise<TcpProxy> {
    const p = new TcpProxy({ name: 'test', listen: '127.0.0.1:0', upstream: typeof upstream === 'string' ? upstream : upstream.address, ...opts });
    this.proxies.push(p);
    await p.start();
    return p;
  }

  dial(target: TcpProxy | Upstream): Promise<Client> {
    return this.loopback.dial('listenAddress' in target ? portOf(target.listenAddress) : target.port);
  }

  async close(): Promise<void> {
    await Promise.all(this.proxies.map((p) => p.stop()));
    await this.loopback.close();
  }
}

/** A toxic spec with its attributes validated and filled as the API would. */
export function toxic(type: ToxicType, attributes: Record<string, number>, opts: { name?: string; stream?: Stream; toxicity?: number } = {}): ToxicSpec {
  const stream = opts.stream ?? 'downstream';
  return { name: opts.name ?? `${type}_${stream}`, type, stream, toxicity: opts.toxicity ?? 1, attributes: toxicAttributes(type, attributes) };
}
