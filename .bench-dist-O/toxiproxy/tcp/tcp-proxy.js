import { createServer } from 'node:net';
import { realTimers } from '../../proxy/core/timers.js';
import { formatEndpoint, parseEndpoint } from './address.js';
import { Connection } from './connection.js';
import { TcpProxyError } from './errors.js';
/**
 * One Toxiproxy "proxy": a TCP listener that forwards each client to the
 * upstream through the toxics of each stream. Toxics set while connections
 * are open apply to them too (Toxiproxy re-links live connections).
 *
 * @example
 * const p = new TcpProxy({ name: 'redis', listen: '127.0.0.1:0', upstream: '127.0.0.1:6379' });
 * await p.start();
 * p.setToxics([{ name: 'slow', type: 'latency', stream: 'downstream', toxicity: 1, attributes: { latency: 100, jitter: 0 } }]);
 */
export class TcpProxy {
    name;
    listenAt;
    bound;
    upstreamAt;
    server;
    toxics = [];
    connections = new Set();
    tally = new Map();
    bytes = { upstream: { received: 0, sent: 0 }, downstream: { received: 0, sent: 0 } };
    connectionsTotal = 0;
    connectFailures = 0;
    random;
    timers;
    constructor(opts) {
        this.name = opts.name;
        this.listenAt = parseEndpoint(opts.listen, 'listen');
        this.upstreamAt = parseEndpoint(opts.upstream, 'upstream');
        this.random = opts.random ?? Math.random;
        this.timers = opts.timers ?? realTimers;
    }
    /** The bound host:port once started (and after a stop, the one a start binds again); the configured one before. */
    get listenAddress() {
        return formatEndpoint(this.bound ?? this.listenAt);
    }
    get upstream() {
        return formatEndpoint(this.upstreamAt);
    }
    get running() {
        return this.server !== undefined;
    }
    /** Listens; resolves once bound. A second start while running does nothing. */
    async start() {
        if (this.server)
            return;
        const at = this.bound ?? this.listenAt;
        const server = createServer({ allowHalfOpen: true, pauseOnConnect: true }, (client) => this.accept(client));
        await new Promise((resolve, reject) => {
            server.once('error', (err) => reject(this.listenError(at, err)));
            server.listen({ host: at.host, port: at.port }, () => resolve());
        });
        // Accept errors (EMFILE) after this cost one client, not the process.
        server.on('error', () => { });
        const a = server.address();
        this.bound = { host: a.address, port: a.port };
        this.server = server;
    }
    /** Closes the listener and every connection (Toxiproxy's disabled proxy). */
    async stop() {
        const server = this.server;
        if (!server)
            return;
        this.server = undefined;
        const closed = new Promise((resolve) => server.close(() => resolve()));
        for (const c of [...this.connections])
            c.destroy();
        await closed;
    }
    /**
     * Where new connections go; open ones stay where they are. Toxiproxy
     * restarts a proxy whose upstream changes (its open connections close):
     * stop(), setUpstream(), start() does that.
     */
    setUpstream(upstream) {
        this.upstreamAt = parseEndpoint(upstream, 'upstream');
    }
    /** A new address to listen on, taken at the next start. */
    setListen(listen) {
        this.listenAt = parseEndpoint(listen, 'listen');
        this.bound = undefined;
    }
    /**
     * The proxy's whole ordered set of toxics (each stream's chain in this
     * order). Applies to open connections at once: a toxic added joins their
     * links, one removed first hands on what it holds, one changed keeps its
     * state and is rolled again.
     */
    setToxics(toxics) {
        const names = new Set(toxics.map((t) => t.name));
        if (names.size !== toxics.length)
            throw new TypeError(`proxy ${this.name}: toxic names must be unique, got ${toxics.map((t) => t.name).join(', ')}`);
        this.toxics = [...toxics];
        for (const name of names)
            if (!this.tally.has(name))
                this.tally.set(name, { connections: 0, active: 0 });
        for (const c of this.connections)
            c.setToxics(this.toxics);
        for (const name of [...this.tally.keys()])
            if (!names.has(name))
                this.tally.delete(name);
    }
    stats() {
        const byToxic = {};
        for (const [name, t] of this.tally)
            byToxic[name] = { ...t };
        return {
            connectionsTotal: this.connectionsTotal,
            connectionsActive: this.connections.size,
            connectFailures: this.connectFailures,
            bytes: { upstream: this.bytes.upstream.sent, downstream: this.bytes.downstream.sent },
            bytesReceived: { upstream: this.bytes.upstream.received, downstream: this.bytes.downstream.received },
            byToxic,
        };
    }
    accept(client) {
        this.connectionsTotal++;
        const connection = new Connection(client, this.upstreamAt, {
            timers: this.timers,
            random: this.random,
            toxics: () => this.toxics,
            bytes: this.bytes,
            applied: (name) => {
                const t = this.tally.get(name);
                if (!t)
                    return;
                t.connections++;
                t.active++;
            },
            left: (name) => {
                const t = this.tally.get(name);
                if (t)
                    t.active--;
            },
            connectFailed: () => this.connectFailures++,
            gone: (c) => this.connections.delete(c),
        });
        this.connections.add(connection);
    }
    listenError(at, err) {
        const where = `proxy ${this.name} cannot listen on ${formatEndpoint(at)}`;
        const why = {
            EADDRINUSE: 'the address is already in use',
            EACCES: 'permission denied (ports below 1024 need privileges)',
            EADDRNOTAVAIL: 'no interface of this machine has that address',
        };
        return new TcpProxyError('LISTEN_FAILED', `${where}: ${why[err.code ?? ''] ?? err.message}`, err.code);
    }
}
//# sourceMappingURL=tcp-proxy.js.map