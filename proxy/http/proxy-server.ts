import { createServer, type Server } from 'node:http';
import { toProxyError, unsupportedMethod } from '../errors.js';
import { Call, type Handler, type Outcome } from './call.js';
import { parseRequestTarget } from './request-target.js';
import { respond } from './respond.js';
import { traceContextOf } from './trace-context.js';

const CLIENT_GONE: Outcome = { kind: 'drop', reason: 'CLIENT_ABORTED' };

export interface ProxyServerDeps {
  readonly handler: Handler;
  /** The sidecar's own service name, when it runs as one. */
  readonly service: string | undefined;
}

export interface ProxyServer {
  readonly server: Server;
  inFlight(): number;
  /** Stops accepting, waits for in-flight requests up to `drainMs`, then cuts what is left. */
  shutdown(drainMs: number): Promise<{ drained: boolean; cut: number }>;
}

/**
 * The data-plane listener: plain `http.createServer` and function calls, no
 * framework routing on the hot path.
 */
export function createProxyServer(deps: ProxyServerDeps): ProxyServer {
  let inFlight = 0;
  let draining = false;
  const server = createServer({ keepAliveTimeout: 60_000, requestTimeout: 0 }, (req, res) => {
    inFlight++;
    const target = parseRequestTarget(req);
    req.url = target.url;
    const named = req.headers['x-faultmesh-source'];
    const source = typeof named === 'string' && named ? named : (deps.service ?? 'unknown');
    const call = new Call(req, res, req.method ?? 'GET', target.service, target.path, source, traceContextOf(req.headers));
    if (draining) res.shouldKeepAlive = false;
    res.once('close', () => {
      inFlight--;
      // If the client left while the upstream was still working, end the
      // attempt now: the instance's in-flight count drops at once instead of
      // at the timeout. A call that already has its outcome ignores this.
      if (!res.writableFinished) call.attempt?.abandon(CLIENT_GONE);
    });
    deps.handler(call).then(
      (outcome) => respond(call, outcome),
      (err: unknown) => respond(call, { kind: 'error', error: toProxyError(err) }),
    );
  });

  // CONNECT tunnels would bypass every layer of the mesh; refuse them plainly.
  server.on('connect', (req, socket) => {
    const err = unsupportedMethod('CONNECT');
    const body = JSON.stringify({ code: err.code, message: err.message });
    socket.end(`HTTP/1.1 405 Method Not Allowed\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nx-faultmesh-error: ${err.code}\r\nconnection: close\r\n\r\n${body}`);
  });
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    if (socket.writable && err.code !== 'ECONNRESET') socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n');
    else socket.destroy();
  });

  return {
    server,
    inFlight: () => inFlight,
    async shutdown(drainMs) {
      draining = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      const deadline = Date.now() + drainMs;
      while (inFlight > 0 && Date.now() < deadline) {
        server.closeIdleConnections();
        await new Promise((r) => setTimeout(r, 50));
      }
      const cut = inFlight;
      server.closeAllConnections();
      await closed;
      return { drained: cut === 0, cut };
    },
  };
}

