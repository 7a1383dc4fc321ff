import { createServer, maxHeaderSize, type IncomingMessage, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { clientFailure, ProxyError, toProxyError, unsupportedMethod } from '../errors.js';
import type { Outcome } from '../core/outcome.js';
import { Call, type Handler } from './call.js';
import { connectionBudget, limitConnections, maxConnectionsFor, openFileLimit } from './connection-limit.js';
import { answerAndClose, writeError } from './error-response.js';
import { parseRequestTarget } from './request-target.js';
import { respond } from './respond.js';
import { traceContextOf, type TraceSampling } from './trace-context.js';

const CLIENT_GONE: Outcome = { kind: 'drop', reason: 'CLIENT_ABORTED' };

/**
 * What one client may hold of the listener. Every limit answers plainly
 * (408, 431, 503) rather than cutting the connection without a word.
 */
export interface ListenerLimits {
  /** Longest a client may take to send its request headers, from its first byte or its connect (slowloris). */
  readonly headersTimeoutMs: number;
  /** Longest a client may take to send a whole request, body included; 0: no limit (a slow upload may take long). */
  readonly requestTimeoutMs: number;
  /** How long a keep-alive connection may sit idle between requests. */
  readonly idleTimeoutMs: number;
  /** Client connections served at once; a client beyond gets 503 TOO_MANY_CONNECTIONS. */
  readonly maxConnections: number;
}

export const DEFAULT_LISTENER_LIMITS: ListenerLimits = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 300_000,
  idleTimeoutMs: 60_000,
  // 4096, or fewer when this process may open too few files for that.
  maxConnections: maxConnectionsFor(undefined, connectionBudget(openFileLimit())),
};

/** How long an answered bad request may linger to read its answer. */
const BAD_REQUEST_LINGER_MS = 1000;

export interface ProxyServerDeps {
  readonly handler: Handler;
  /** The sidecar's own service name, when it runs as one. */
  readonly service: string | undefined;
  /**
   * Set when this proxy has an identity (--cert, or the control plane's CA):
   * the service its certificate names, which is then every call's source.
   */
  readonly identityService?: string | undefined;
  readonly limits?: ListenerLimits;
  /** How new traces are sampled while spans are exported (proxy/tracing); read per request. */
  readonly sampling?: TraceSampling | undefined;
}

export interface ProxyServer {
  readonly server: Server;
  inFlight(): number;
  /** Stops accepting, waits for in-flight requests up to `drainMs`, then cuts what is left. */
  shutdown(drainMs: number): Promise<{ drained: boolean; cut: number }>;
}

/**
 * Who is calling: the caller's `x-faultmesh-source` claim, folded as host
 * names are (service names are lower case, so "CheckOut" is checkout's
 * traffic), else the sidecar's own service. With an identity the claim is
 * worth nothing: the source is the service the certificate names, and the
 * header is dropped so it reaches no upstream either (the inbound sidecar
 * there takes the source from this proxy's certificate). Upgrades too.
 */
export function sourceOf(req: IncomingMessage, service: string | undefined, identityService: string | undefined): string {
  const named = req.headers['x-faultmesh-source'];
  if (identityService === undefined) return typeof named === 'string' && named ? named.toLowerCase() : (service ?? 'unknown');
  if (named !== undefined) {
    delete req.headers['x-faultmesh-source'];
    // The undici forwarder sends the raw list: the claim goes from there too.
    const raw = req.rawHeaders;
    for (let i = raw.length - 2; i >= 0; i -= 2) if (raw[i]!.toLowerCase() === 'x-faultmesh-source') raw.splice(i, 2);
  }
  return identityService;
}

/**
 * The data-plane listener: plain `http.createServer` and function calls, no
 * framework routing on the hot path.
 */
export function createProxyServer(deps: ProxyServerDeps): ProxyServer {
  const limits = deps.limits ?? DEFAULT_LISTENER_LIMITS;
  let inFlight = 0;
  let draining = false;
  const options = {
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.idleTimeoutMs,
    // Node checks the two timeouts on this interval (30 s by default); a tenth
    // of the headers timeout keeps a slow client's cut close to its deadline.
    connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(limits.headersTimeoutMs / 10))),
  };
  const server = createServer(options, (req, res) => {
    const target = parseRequestTarget(req);
    if (target instanceof ProxyError) {
      // Before any layer: a request with an ambiguous destination must not reach one.
      res.shouldKeepAlive = false;
      writeError(res, target, traceContextOf(req.headers).requestId);
      return;
    }
    inFlight++;
    req.url = target.url;
    const source = sourceOf(req, deps.service, deps.identityService);
    const call = new Call(req, res, req.method ?? 'GET', target.service, target.path, source, traceContextOf(req.headers, deps.sampling));
    if (draining) res.shouldKeepAlive = false;
    res.once('close', () => {
      inFlight--;
      // If the client left while the upstream was still working, end the
      // attempt now: the instance's in-flight count drops at once instead of
      // at the timeout. A call that already has its outcome ignores this.
      if (!res.writableFinished) call.attempt?.abandon(CLIENT_GONE);
      call.closed();
    });
    deps.handler(call).then(
      (outcome) => respond(call, outcome),
      (err: unknown) => respond(call, { kind: 'error', error: toProxyError(err) }),
    );
  });

  limitConnections(server, limits.maxConnections);

  // CONNECT tunnels would bypass every layer of the mesh; refuse them plainly.
  server.on('connect', (_req, socket: Socket) => answerAndClose(socket, unsupportedMethod('CONNECT'), BAD_REQUEST_LINGER_MS));
  // Oversized headers (431), a client too slow to send its request (408), or
  // no HTTP at all (400). The parser may report again on the same socket
  // while it lingers: answer once.
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    if (socket.writableEnded) return;
    // A response already under way (a slow body cut by --request-timeout) cannot get another one.
    const responding = (socket as Socket & { _httpMessage?: unknown })._httpMessage != null;
    if (err.code === 'ECONNRESET' || !socket.writable || responding) socket.destroy();
    else answerAndClose(socket, clientFailure(err, maxHeaderSize), BAD_REQUEST_LINGER_MS);
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

