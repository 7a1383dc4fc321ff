import type { ClientRequest, IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { createProxyMiddleware, Plugin } from 'http-proxy-middleware';
import type { UpgradeExchange } from './upgrade-exchange.js';

/** How long a client may keep its side open once the upstream has closed its own. */
const CLOSE_LINGER_MS = 2000;

const PASS = Symbol('faultmesh.upgrade');
type WithPass = IncomingMessage & { [PASS]?: Pass };

/**
 * What the upgrade forwarder tells the exchange's owner (forward/upgrade.ts).
 * Both run synchronously inside http-proxy's own events, before it writes
 * to the client: `answered` may still change the head it is given, and
 * `failed` may still answer the client before http-proxy ends the socket.
 */
export interface HandshakeEvents {
  /**
   * The upstream answered: 101 (the two sockets are piped next), or a
   * refusal, relayed with `connection: close` and its body up to the close.
   */
  answered(status: number, headers: IncomingHttpHeaders): void;
  /** The upstream connection failed, before it answered or after it upgraded. */
  failed(err: NodeJS.ErrnoException): void;
}

interface Pass {
  readonly ex: UpgradeExchange;
  readonly events: HandshakeEvents;
  cancelled: boolean;
  proxyReq?: ClientRequest;
  upstream?: Socket;
}

/** Hands upgrade handshakes to their instance. */
export interface UpgradeForwarder {
  /**
   * Sends the exchange's handshake (its headers already prepared) to
   * `ex.endpoint`, and pipes the two sockets once the upstream answers 101.
   * Returns what cuts the upstream side, whatever stage it is at.
   */
  pass(ex: UpgradeExchange, head: Buffer, events: HandshakeEvents): () => void;
}

/**
 * Upgrades through http-proxy-middleware's `ws` support: one middleware
 * instance, created with `ws: true` and a `router` that returns the
 * instance upgrade.ts chose, called as `middleware.upgrade(req, socket,
 * head)`. It never sees plain requests, so it never subscribes to the
 * server's 'upgrade' event itself; upgrade.ts owns that event.
 */
export function createHpmUpgrader(): UpgradeForwarder {
  const wire: Plugin = (proxyServer) => {
    // http-proxy passes only `GET` with `Upgrade: websocket` and destroys any
    // other upgrade without a word; upgrade.ts decides what passes.
    const server = proxyServer as unknown as { wsPasses: Array<{ name: string }> };
    server.wsPasses = server.wsPasses.filter((pass) => pass.name !== 'checkMethodAndHeader');
    proxyServer.on('proxyReqWs', (proxyReq: ClientRequest, req: IncomingMessage, socket: Socket) => {
      const pass = (req as WithPass)[PASS];
      if (!pass || socket.destroyed) {
        proxyReq.destroy();
        return;
      }
      pass.proxyReq = proxyReq;
      // http-proxy adds its own listeners right after this event: these run
      // first, so the head they are handed is the one it then writes.
      proxyReq.once('upgrade', (res: IncomingMessage, upstream: Socket) => {
        pass.upstream = upstream;
        tie(socket, upstream);
        pass.events.answered(101, res.headers);
      });
      proxyReq.once('response', (res: IncomingMessage) => {
        // http-proxy writes these headers as they are and pipes the decoded
        // body: a chunked framing header would then lie. The body runs to the close instead.
        delete res.headers['transfer-encoding'];
        delete res.headers['keep-alive'];
        res.headers.connection = 'close';
        pass.events.answered(res.statusCode ?? 502, res.headers);
      });
    });
    // Any failure of the upstream side, with the request it belongs to; http-proxy ends the client's socket right after.
    proxyServer.on('error', (err: Error, req: IncomingMessage) => (req as WithPass)[PASS]?.events.failed(err as NodeJS.ErrnoException));
  };

  type Middleware = ReturnType<typeof createProxyMiddleware<IncomingMessage, ServerResponse>>;
  // http-proxy-middleware is loaded on the first upgrade (and the first call
  // through the hpm forwarder): a proxy that sees neither does not carry it.
  let middleware: Middleware | undefined;
  let loading: Promise<Middleware> | undefined;
  const load = () => (loading ??= import('http-proxy-middleware').then(({ createProxyMiddleware }) => (middleware = createProxyMiddleware<IncomingMessage, ServerResponse>({
    ws: true,
    router: (req: IncomingMessage) => (req as WithPass)[PASS]!.ex.endpoint!.target,
    changeOrigin: false,
    // req.url is origin-form already (request-target.ts): used as is, not re-parsed.
    toProxy: true,
    // Our own wiring, not HPM's default plugins, which log and write error pages.
    ejectPlugins: true,
    plugins: [wire],
  } as Parameters<typeof createProxyMiddleware<IncomingMessage, ServerResponse>>[0]))));

  return {
    pass(ex, head, events) {
      const pass: Pass = { ex, events, cancelled: false };
      (ex.req as WithPass)[PASS] = pass;
      const send = (m: Middleware) => {
        if (!pass.cancelled && !ex.socket.destroyed) m.upgrade(ex.req, ex.socket, head);
      };
      if (middleware) send(middleware);
      else load().then(send, (err: Error) => events.failed(err as NodeJS.ErrnoException));
      return () => {
        pass.cancelled = true;
        pass.proxyReq?.destroy();
        pass.upstream?.destroy();
      };
    },
  };
}

/**
 * Ties the two sides' lifetimes together once upgraded. http-proxy pipes
 * them both ways, so a clean close from either side reaches the other;
 * this covers the rest: a client gone frees the upstream socket, and a
 * client that keeps its side open after the upstream closed is cut.
 */
function tie(client: Socket, upstream: Socket): void {
  client.once('close', () => upstream.destroy());
  upstream.once('close', () => {
    if (client.destroyed) return;
    client.end();
    const timer = setTimeout(() => client.destroy(), CLOSE_LINGER_MS);
    timer.unref();
    client.once('close', () => clearTimeout(timer));
  });
}
