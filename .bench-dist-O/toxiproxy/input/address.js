import { formatEndpoint, parseEndpoint, TcpProxyError } from '../tcp/index.js';
/** An address as toxiproxy/tcp reads it; undefined when it is not host:port. */
function endpointOf(text, role) {
    try {
        return parseEndpoint(text, role);
    }
    catch (err) {
        if (err instanceof TcpProxyError)
            return undefined;
        throw err;
    }
}
/**
 * The address a proxy listens on, written as it will be bound; absent is
 * 127.0.0.1:0 (any free port). No host, or `localhost`, is 127.0.0.1:
 * faultmesh listens on loopback unless told otherwise (Toxiproxy's empty
 * host is every interface; write 0.0.0.0 or [::] for that).
 *
 * @example listenOf('localhost:26379') // '127.0.0.1:26379'
 */
export function listenOf(text) {
    const at = endpointOf(text ?? ':0', 'listen');
    return at && formatEndpoint({ host: at.host.toLowerCase(), port: at.port });
}
/** The port of a listen address written by listenOf. */
export const portOf = (listen) => endpointOf(listen, 'listen')?.port ?? -1;
/** Whether `text` is an upstream host:port the proxy can dial (a host, and a port from 1). */
export const isUpstream = (text) => endpointOf(text, 'upstream') !== undefined;
/**
 * Whether a proxy bound to `bound` already serves `wanted`, so /populate or an
 * update leaves it alone. Port 0 asks for any port, and the one it has is
 * one (Toxiproxy compares the literal 0 and would move the proxy to a new port
 * on every /populate of a file that lets the system pick).
 */
export function servesListen(bound, wanted) {
    const b = endpointOf(bound, 'listen');
    const w = endpointOf(wanted, 'listen');
    if (!b || !w)
        return false;
    return b.host.toLowerCase() === w.host.toLowerCase() && (w.port === 0 || b.port === w.port);
}
/** Whether /populate keeps a proxy at `current` for `draft` (with its toxics), rather than replacing it: same listen (port 0 fits any) and upstream. */
export const populateKeeps = (current, draft) => servesListen(current.listen, draft.listen) && current.upstream === draft.upstream;
//# sourceMappingURL=address.js.map