import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import { UNAUTHENTICATED, recordDenied } from '../authz/record-denied.js';
import type { AuthzDecision, Authorizer } from '../authz/policy.js';
import { formatHostPort, type ListenAddress } from '../config/listen-address.js';
import type { Outcome } from '../core/outcome.js';
import { forbidden, ProxyError, toProxyError, upstreamTimeout } from '../errors.js';
import type { Forwarder } from '../forward/forwarder.js';
import { Attempt } from '../http/attempt.js';
import { Call } from '../http/call.js';
import { upstreamHeaderList } from '../http/headers.js';
import { respond } from '../http/respond.js';
import { passedThrough } from '../http/trace-context.js';
import { toEndpoint } from '../registry/endpoint.js';
import type { ServiceTable } from '../routing/mesh-table.js';
import type { Metrics } from '../telemetry/metrics.js';
import { APP_INSTANCE, createInboundRecorder } from './inbound-record.js';

/** Set by the inbound sidecar on every request to its app, over whatever the caller sent. */
export const SOURCE_HEADER = 'x-faultmesh-source';
export const PEER_HEADER = 'x-faultmesh-peer';

const CLIENT_GONE: Outcome = { kind: 'drop', reason: 'CLIENT_ABORTED' };
const ALLOWED: AuthzDecision = { allowed: true };

export interface InboundHandlerDeps {
  /** This sidecar's service: the destination of every inbound call, whose policy decides. */
  readonly service: string;
  readonly trustDomain: string;
  readonly app: ListenAddress;
  /** The registered instance id of the app, when the listener fronts one; "app" otherwise. */
  readonly instance?: string | undefined;
  /** The authorizer of this sidecar's service in the running mesh; undefined when the mesh does not list it (no policy: allow). */
  readonly authorizer: () => Authorizer | undefined;
  /** The verified caller of a connection; undefined for a plaintext one. */
  readonly peerOf: (socket: Socket) => string | undefined;
  readonly metrics: Metrics;
  readonly log: Logger | undefined;
  readonly forwarder: Forwarder;
  /** How long the app may take to send its response headers. */
  readonly timeoutMs: number;
}

export interface InboundHandler {
  (req: IncomingMessage, res: ServerResponse): void;
  inFlight(): number;
}

/**
 * What an inbound sidecar does with each request: the caller is the
 * connection's verified identity (never a header); the sidecar's own
 * service's policy decides; a refusal is 403 FORBIDDEN, counted and logged
 * with the caller; an allowed call goes to the app over loopback with the
 * caller's identity in x-faultmesh-source and x-faultmesh-peer.
 */
export function createInboundHandler(deps: InboundHandlerDeps): InboundHandler {
  const { service, metrics, forwarder, timeoutMs } = deps;
  const instance = deps.instance ?? APP_INSTANCE;
  const record = createInboundRecorder(metrics, service, deps.log, instance);
  const app = toEndpoint(service, { id: instance, address: { host: deps.app.host, port: deps.app.port, text: formatHostPort(deps.app.host, deps.app.port) }, labels: {} });
  const plaintext = metrics.inboundPlaintext.labels(service);
  // What the forwarder reads of a call's service (its name, and whether to dial it over mTLS): the app
  // beside the sidecar is plain HTTP on loopback, whatever the mesh says of the service its callers reach.
  const appService = Object.freeze({ name: service, config: Object.freeze({ tls: 'off' }) }) as unknown as ServiceTable;
  let inFlight = 0;

  const handler = (req: IncomingMessage, res: ServerResponse) => {
    inFlight++;
    const url = req.url ?? '/';
    const peer = deps.peerOf(req.socket);
    if (peer === undefined) plaintext.inc();
    const q = url.indexOf('?');
    const call = new Call(req, res, req.method ?? 'GET', service, q === -1 ? url : url.slice(0, q), peer ?? UNAUTHENTICATED, passedThrough(req.headers));
    call.whenClosed(() => record(call));
    res.once('close', () => {
      inFlight--;
      if (!res.writableFinished) call.attempt?.abandon(CLIENT_GONE);
      call.closed();
    });
    // The outbound sidecar sends origin form; anything else names a destination the policy's paths were not written for.
    if (url.charCodeAt(0) !== 47 /* / */) return respond(call, { kind: 'error', error: new ProxyError('BAD_REQUEST', 400, `the inbound sidecar of "${service}" takes a path (origin-form target), not "${url.slice(0, 100)}"`) });
    const decision = deps.authorizer()?.authorize({ source: peer, method: call.method, path: url }) ?? ALLOWED;
    if (!decision.allowed) {
      recordDenied(metrics, service, peer);
      return respond(call, { kind: 'error', error: forbidden(service, peer, decision.reason) });
    }
    forwardToApp(call, peer).then(
      (outcome) => respond(call, outcome),
      (err: unknown) => respond(call, { kind: 'error', error: toProxyError(err) }),
    );
  };

  /** One attempt at the app, cut at the timeout; no retries: the app is one process beside this one. */
  function forwardToApp(call: Call, peer: string | undefined): Promise<Outcome> {
    call.service = appService;
    call.endpoint = app;
    const attempt = (call.attempt = new Attempt(0, app));
    call.upstreamHeaders = headersForApp(call, peer, deps.trustDomain);
    const timer = setTimeout(() => attempt.abandon({ kind: 'error', error: upstreamTimeout(app.id, timeoutMs) }), timeoutMs);
    return forwarder.forward(call).finally(() => clearTimeout(timer));
  }

  return Object.assign(handler, { inFlight: () => inFlight });
}

/**
 * The request headers the app receives: the outbound set (telemetry/
 * forwarding headers, hop-by-hop ones dropped) without any identity header
 * the caller sent, then the sidecar's own. A plaintext caller's request
 * carries none: the app can tell "unauthenticated" from "checkout".
 */
export function headersForApp(call: Call, peer: string | undefined, trustDomain: string): string[] {
  const all = upstreamHeaderList(call);
  const out: string[] = [];
  for (let i = 0; i < all.length; i += 2) {
    const lower = all[i]!.toLowerCase();
    if (lower === SOURCE_HEADER || lower === PEER_HEADER) continue;
    out.push(all[i]!, all[i + 1]!);
  }
  if (peer !== undefined) out.push(SOURCE_HEADER, peer, PEER_HEADER, `spiffe://${trustDomain}/service/${peer}`);
  return out;
}
