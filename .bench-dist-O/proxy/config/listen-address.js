/**
 * Parses `127.0.0.1:15001`, `[::1]:15001`, `:15001` (loopback) or `15001`.
 * Throws with the flag's name, so the CLI can say which flag is wrong.
 */
export function parseListenAddress(flag, text) {
    const m = /^(?:(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]*):)?(\d{1,5})$/.exec(text.trim());
    const port = m ? Number(m[2]) : -1;
    if (!m || port > 65535)
        throw new Error(`--${flag}: "${text}" is not host:port (for example 127.0.0.1:15001)`);
    const rawHost = m[1] || '127.0.0.1';
    return { host: rawHost.startsWith('[') ? rawHost.slice(1, -1) : rawHost, port };
}
export function isLoopback(host) {
    return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
/** `host:port` with IPv6 in brackets, for URLs and messages. */
export function formatHostPort(host, port) {
    return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
//# sourceMappingURL=listen-address.js.map