import type { Logger } from 'pino';
import { createUndiciForwarder } from '../forward/undici-forwarder.js';
import type { ListenerLimits } from '../http/proxy-server.js';
import type { IdentityHolder } from '../identity/identity-holder.js';
import type { MeshState } from '../mesh-state.js';
import type { Metrics } from '../telemetry/metrics.js';
import { formatHostPort } from '../config/listen-address.js';
import type { ListeningInbound } from './inbound-registration.js';
import { createInboundServer, type InboundOptions, type InboundServer } from './inbound-server.js';

/** What the data plane gives its inbound listener (data-plane.ts). */
export interface InboundPlaneParts {
  readonly mesh: Pick<MeshState, 'service'>;
  readonly metrics: Metrics;
  readonly identity: IdentityHolder | undefined;
  readonly log: Logger | undefined;
}

export interface InboundPlane {
  /** One per listener, in the order of the options; not listening yet. */
  readonly servers: readonly InboundServer[];
  /** Once the listeners have shut down: frees the connections to the apps. */
  release(): Promise<void>;
}

/** Thrown when a proxy is started with an inbound listener it cannot run: the CLI refuses these flags first. */
export class InboundConfigError extends Error {
  readonly code = 'INBOUND_CONFIG';
  override readonly name = 'InboundConfigError';
}

/**
 * The inbound listeners of a data plane whose options ask for some, or
 * undefined. One listener per app (one, or one per --register
 * ...,inbound=), each forwarding only to its own app; all share this
 * sidecar's service, identity and mode. The identity is the one the
 * outbound side presents too; the policy is read from the running mesh at
 * every request, so a mesh change applies to the next one. They forward
 * through one pool of their own (undici keeps a connection pool per app
 * origin): plain HTTP, whatever the mesh says of the service.
 */
/** The data-plane options the inbound side reads (data-plane.ts's DataPlaneOptions has them; named here so the two modules do not import each other). */
export interface InboundPlaneOptions {
  readonly inbound?: readonly InboundOptions[] | undefined;
  readonly identity?: { readonly trustDomain: string } | undefined;
  readonly listenerLimits?: ListenerLimits | undefined;
  readonly timeoutMs?: number | undefined;
}

export function inboundPlaneOf(options: InboundPlaneOptions, service: string | undefined, parts: InboundPlaneParts): InboundPlane | undefined {
  const listeners = options.inbound ?? [];
  if (listeners.length === 0) return undefined;
  if (!options.identity || !parts.identity) throw new InboundConfigError('an inbound listener needs an identity: --cert/--key/--ca or --control with a join token');
  if (service === undefined) throw new InboundConfigError("an inbound listener needs --service NAME (the service this sidecar's app is)");
  const { trustDomain } = options.identity;
  const identity = parts.identity;
  const forwarder = createUndiciForwarder();
  const limits: ListenerLimits | undefined = options.listenerLimits;
  const log = parts.log?.child({ direction: 'inbound' });
  const servers = listeners.map((inbound) =>
    createInboundServer({
      options: inbound,
      service,
      identity,
      trustDomain,
      authorizer: () => parts.mesh.service(service)?.authorizer,
      metrics: parts.metrics,
      log,
      forwarder,
      timeoutMs: options.timeoutMs ?? 15_000,
      limits,
    }),
  );
  return { servers, release: () => forwarder.close() };
}

/** One inbound listener of a running proxy, as the start line prints it. */
export interface InboundListener {
  /** The registered instance it fronts (--register ID=APP,inbound=..., or the one --register with --inbound); undefined without. */
  readonly instance: string | undefined;
  /** Where it listens: https://host:port. */
  readonly url: string;
  /** The app it forwards to: host:port. */
  readonly app: string;
}

/** Listens on every inbound listener, in order (`servers[i]` made from `options[i]`); the caller closes them all if one fails. */
export async function listenInbound(servers: readonly InboundServer[], options: readonly InboundOptions[] = []): Promise<ListeningInbound[]> {
  const listening: ListeningInbound[] = [];
  for (const [i, server] of servers.entries()) listening.push({ options: options[i]!, at: await server.listen() });
  return listening;
}

/** What a running proxy tells of its inbound listeners (RunningProxy.inbound, the start line). */
export function inboundListeners(listening: readonly ListeningInbound[]): InboundListener[] {
  return listening.map(({ options, at }) => ({ instance: options.instance, url: `https://${formatHostPort(at.address, at.port)}`, app: formatHostPort(options.app.host, options.app.port) }));
}
