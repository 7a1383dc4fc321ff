import { TcpProxyError } from './errors.js';
const HOST_PORT = /^(?:\[([0-9a-fA-F:.]+)\]|([^:\s[\]]*)):(\d{1,5})$/;
/**
 * Reads Toxiproxy's `host:port` (`[::1]:80` for IPv6). For a listener, no
 * host or `localhost` means 127.0.0.1: Go resolves localhost to IPv4 first,
 * and Node might bind ::1 instead, where a client dialling 127.0.0.1 would
 * find nobody.
 *
 * @example parseEndpoint('localhost:0', 'listen') // { host: '127.0.0.1', port: 0 }
 */
export function parseEndpoint(text, role) {
    const m = HOST_PORT.exec(text.trim());
    const port = m ? Number(m[3]) : Number.NaN;
    if (!m || !(port <= 65535) || (role === 'upstream' && port === 0)) {
        const why = role === 'upstream' ? 'host:port with a port from 1 to 65535' : 'host:port with a port from 0 to 65535';
        throw new TcpProxyError('ADDRESS_INVALID', `${role} address "${text}" is not ${why} (IPv6 in brackets: [::1]:8080)`);
    }
    let host = m[1] ?? m[2];
    if (role === 'upstream' && host === '')
        throw new TcpProxyError('ADDRESS_INVALID', `upstream address "${text}" names no host`);
    if (role === 'listen' && (host === '' || host.toLowerCase() === 'localhost'))
        host = '127.0.0.1';
    return { host, port };
}
/** `host:port` as Go's net.JoinHostPort writes it, IPv6 in brackets: what Toxiproxy shows as a bound `listen`. */
export const formatEndpoint = (e) => (e.host.includes(':') ? `[${e.host}]:${e.port}` : `${e.host}:${e.port}`);
//# sourceMappingURL=address.js.map