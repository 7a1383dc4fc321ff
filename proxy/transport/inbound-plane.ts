import type { Logger } from 'pino';
import type { DataPlaneOptions } from '../data-plane.js';
import { createUndiciForwarder } from '../forward/undici-forwarder.js';
import type { ListenerLimits } from '../http/proxy-server.js';
import type { IdentityHolder } from '../identity/identity-holder.js';
import type { MeshState } from '../mesh-state.js';
import type { Metrics } from '../telemetry/metrics.js';
import { createInboundServer, type InboundServer } from './inbound-server.js';

/** What the data plane gives its inbound listener (data-plane.ts). */
export interface InboundPlaneParts {
  readonly mesh: Pick<MeshState, 'service'>;
  readonly metrics: Metrics;
  readonly identity: IdentityHolder | undefined;
  readonly log: Logger | undefined;
}

export interface InboundPlane {
  /** Not listening yet. */
  readonly server: InboundServer;
  /** Once the listener has shut down: frees the connections to the app. */
  release(): Promise<void>;
}

/** Thrown when a proxy is started with an inbound listener it cannot run: the CLI refuses these flags first. */
export class InboundConfigError extends Error {
  readonly code = 'INBOUND_CONFIG';
  override readonly name = 'InboundConfigError';
}

/**
 * The inbound listener of a data plane whose options ask for one, or
 * undefined. Its service is the sidecar's own; its identity the one the
 * outbound side presents too; its policy is read from the running mesh at
 * every request, so a mesh change applies to the next one. It forwards to
 * the app through a pool of its own: plain HTTP, whatever the mesh says of
 * the service.
 */
export function inboundPlaneOf(options: DataPlaneOptions, service: string | undefined, parts: InboundPlaneParts): InboundPlane | undefined {
  const inbound = options.inbound;
  if (!inbound) return undefined;
  if (!options.identity || !parts.identity) throw new InboundConfigError('an inbound listener needs an identity: --cert/--key/--ca or --control with a join token');
  if (service === undefined) throw new InboundConfigError("an inbound listener needs --service NAME (the service this sidecar's app is)");
  const forwarder = createUndiciForwarder();
  const limits: ListenerLimits | undefined = options.listenerLimits;
  const server = createInboundServer({
    options: inbound,
    service,
    identity: parts.identity,
    trustDomain: options.identity.trustDomain,
    authorizer: () => parts.mesh.service(service)?.authorizer,
    metrics: parts.metrics,
    log: parts.log?.child({ direction: 'inbound' }),
    forwarder,
    timeoutMs: options.timeoutMs ?? 15_000,
    limits,
  });
  return { server, release: () => forwarder.close() };
}
