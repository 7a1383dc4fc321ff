import { formatHostPort } from '../config/listen-address.js';
/** A listen host that binds every address: callers need to be told another one. */
export const isWildcardHost = (host) => host === '0.0.0.0' || host === '::' || host === '';
/**
 * The registrations of a sidecar with inbound listeners, once they listen:
 * every instance is registered at its listener's real address (port 0
 * resolved), so callers reach the app only through its sidecar, and its
 * health is checked on that listener's app (--health-path is a plain-HTTP
 * GET, which a mutual-TLS inbound would refuse). An instance's listener is
 * the one made for it (`instance` = its id, --register ID=APP,inbound=...)
 * or, in the one-app form (--inbound, --app), the only one. A listener on a
 * wildcard address keeps the host each --register named (the CLI makes it
 * name one).
 *
 * @example registeredAtInbound(registration, [{ options: inbound, at: await server.listen() }])
 */
export function registeredAtInbound(registration, listening) {
    const only = listening.length === 1 ? listening[0] : undefined;
    return {
        ...registration,
        instances: registration.instances.map((instance) => {
            const listener = listening.find((l) => l.options.instance === instance.id) ?? only;
            // The CLI gives every instance a listener once there is one; a caller that did not is left as it asked.
            if (listener === undefined)
                return instance;
            const { options, at } = listener;
            const host = isWildcardHost(options.listen.host) ? hostOf(instance.address) : at.address;
            return { ...instance, address: formatHostPort(host, at.port), healthAddress: formatHostPort(options.app.host, options.app.port) };
        }),
    };
}
/** The host of `host:port` or `[v6]:port`. */
function hostOf(address) {
    const colon = address.lastIndexOf(':');
    const host = address.slice(0, colon);
    return host.startsWith('[') ? host.slice(1, -1) : host;
}
//# sourceMappingURL=inbound-registration.js.map