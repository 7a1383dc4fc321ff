import type { Timers } from '../../../proxy/core/timers.js';
import { startToxiproxyServer, type RunningToxiproxy, type ToxiproxyServerOptions } from '../../../toxiproxy/server.js';
import { send, type Reply } from '../../helpers/http-client.js';
import { Loopback, portOf, type Client, type Upstream } from '../loopback.js';

export { roundTrip, type Client } from '../loopback.js';

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
  private readonly loopback = new Loopback();
  private readonly running: RunningToxiproxy[] = [];

  async start(options: Partial<ToxiproxyServerOptions> & { timers?: Timers } = {}): Promise<{ server: RunningToxiproxy; api: Api }> {
    const server = await startToxiproxyServer({ listen: { host: '127.0.0.1', port: 0 }, version: '0.0.0-test', ...options });
    this.running.push(server);
    return { server, api: apiAt(server.url) };
  }

  /** An upstream that echoes every byte and ends when the client ends. */
  echo(): Promise<Upstream> {
    return this.loopback.echo();
  }

  /** An upstream whose sockets `handle` drives. */
  upstream(handle: Parameters<Loopback['upstream']>[0]): Promise<Upstream> {
    return this.loopback.upstream(handle);
  }

  /** Connects to a proxy's `listen` (host:port as the API shows it). */
  dial(listen: string): Promise<Client> {
    return this.loopback.dial(portOf(listen));
  }

  /** Closes one server this fixture started (as if its process ended), leaving the rest. */
  async stop(server: RunningToxiproxy): Promise<void> {
    this.running.splice(this.running.indexOf(server), 1);
    await server.close();
  }

  async close(): Promise<void> {
    await Promise.all(this.running.map((r) => r.close()));
    await this.loopback.close();
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
