import { readFileSync } from 'node:fs';
import { tooManyConnections } from '../errors.js';
import { answerAndClose } from './error-response.js';
/** How long a refused client may take to read its 503 before its socket is destroyed. */
const REFUSED_LINGER_MS = 1000;
/** Refused sockets allowed to linger at once; beyond it they are answered and closed without waiting. */
const MAX_LINGERING = 64;
/** Connections the admin listener takes: its own budget, apart from the data plane's. */
export const ADMIN_MAX_CONNECTIONS = 64;
/**
 * Descriptors kept out of the data plane's reach: the admin budget, lingering
 * refusals, and the process's own (listeners, stdio, logs, the mesh file, libuv).
 */
const RESERVED_FDS = ADMIN_MAX_CONNECTIONS + MAX_LINGERING + 64;
/** The data plane's default cap when the descriptor limit allows more. */
export const DEFAULT_MAX_CONNECTIONS = 4096;
/**
 * Caps the client connections an HTTP server serves at once. A client beyond
 * the cap gets a plain `503 TOO_MANY_CONNECTIONS` with `connection: close` on
 * its raw socket, instead of Node's `maxConnections`, which drops it with no
 * word. The cap wraps the server's own connection listener (the one
 * http.Server registers for itself), so only admitted sockets ever get an
 * HTTP parser, and the server's timeouts and close methods work unchanged.
 */
export function limitConnections(server, max) {
    const own = server.listeners('connection');
    if (own.length !== 1)
        throw new Error(`expected http.Server to have one connection listener, found ${own.length}`);
    const attach = own[0];
    server.removeListener('connection', attach);
    let open = 0;
    let lingering = 0;
    server.on('connection', (socket) => {
        if (open >= max) {
            lingering++;
            socket.once('close', () => lingering--);
            answerAndClose(socket, tooManyConnections(max), lingering <= MAX_LINGERING ? REFUSED_LINGER_MS : 0);
            return;
        }
        open++;
        socket.once('close', () => open--);
        attach.call(server, socket);
    });
}
/**
 * The most client connections the data plane may take without running the
 * process out of file descriptors, at about two per connection (the client's
 * and the upstream's), so the admin API still accepts an emergency halt when
 * the data plane is full. Undefined when the limit cannot be read (not Linux).
 *
 * @example connectionBudget(1024) // 416
 */
export function connectionBudget(fdLimit) {
    if (fdLimit === undefined)
        return undefined;
    return Math.max(1, Math.floor((fdLimit - RESERVED_FDS) / 2));
}
/**
 * The cap to use: the one asked for, or the default within the budget
 * (undefined: unknown, no bound). Throws a message for the user when the one
 * asked for does not fit.
 *
 * @example maxConnectionsFor(undefined, connectionBudget(openFileLimit()))
 */
export function maxConnectionsFor(asked, budget) {
    if (asked === undefined)
        return Math.min(DEFAULT_MAX_CONNECTIONS, budget ?? DEFAULT_MAX_CONNECTIONS);
    if (!Number.isInteger(asked) || asked < 1)
        throw new Error(`--max-connections: "${asked}" is not a whole number of connections (1 or more)`);
    if (budget !== undefined && asked > budget) {
        throw new Error(`--max-connections ${asked} does not fit in this process's open-file limit: at most ${budget}; raise it with ulimit -n or ask for fewer`);
    }
    return asked;
}
/** The soft RLIMIT_NOFILE (Node raises it to the hard limit at start-up), from /proc on Linux. */
export function openFileLimit() {
    try {
        const line = /^Max open files\s+(\d+)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
        return line ? Number(line[1]) : undefined;
    }
    catch {
        return undefined;
    }
}
//# sourceMappingURL=connection-limit.js.map