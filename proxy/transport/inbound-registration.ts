import type { AddressInfo } from 'node:net';
import { formatHostPort } from '../config/listen-address.js';
import type { RegistrationOptions } from '../sources/control/registration-client.js';
import type { InboundOptions } from './inbound-server.js';

/** A listen host that binds every address: callers need to be told another one. */
export const isWildcardHost = (host: string): boolean => host === '0.0.0.0' || host === '::' || host === '';

/**
 * The registrations of a sidecar with an inbound listener, once it listens:
 * every instance is registered at the listener's real address (port 0
 * resolved), so callers reach the app only through its sidecar, and its
 * health is checked on the app itself (--health-path is a plain-HTTP GET,
 * which a mutual-TLS inbound would refuse). A listener on a wildcard
 * address keeps the host each --register named (the CLI makes it name one).
 *
 * @example registeredAtInbound(registration, inbound, await server.listen())
 */
export function registeredAtInbound(registration: RegistrationOptions, inbound: InboundOptions, at: AddressInfo): RegistrationOptions {
  const healthAddress = formatHostPort(inbound.app.host, inbound.app.port);
  return {
    ...registration,
    instances: registration.instances.map((instance) => {
      const host = isWildcardHost(inbound.listen.host) ? hostOf(instance.address) : at.address;
      return { ...instance, address: formatHostPort(host, at.port), healthAddress };
    }),
  };
}

/** The host of `host:port` or `[v6]:port`. */
function hostOf(address: string): string {
  const colon = address.lastIndexOf(':');
  const host = address.slice(0, colon);
  return host.startsWith('[') ? host.slice(1, -1) : host;
}
