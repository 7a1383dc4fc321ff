import { connect } from 'node:net';
import { Link } from './link.js';
/**
 * A client, its upstream socket, and a link each way: `upstream` reads the
 * client and writes the upstream, `downstream` the reverse. An end (FIN)
 * passes through in its own direction and the other stays open, as TCP
 * allows; both sockets close once both directions have ended. An error on
 * either socket closes both.
 */
export class Connection {
    client;
    ctx;
    upstream;
    links;
    finished = 0;
    over = false;
    constructor(client, to, ctx) {
        this.client = client;
        this.ctx = ctx;
        // Go sets TCP_NODELAY on every connection; without it Nagle would add its own latency to small writes.
        client.setNoDelay(true);
        this.upstream = connect({ host: to.host, port: to.port, allowHalfOpen: true, noDelay: true });
        this.upstream.once('connect', () => this.link());
        for (const socket of [client, this.upstream]) {
            socket.on('error', () => {
                if (socket === this.upstream && !this.links)
                    this.ctx.connectFailed();
                this.destroy();
            });
            socket.once('close', (hadError) => {
                // A clean close means the socket's own two directions are done; the other socket may still be flushing.
                if (hadError || !this.links)
                    this.destroy();
            });
        }
    }
    setToxics(toxics) {
        if (!this.links || this.over)
            return;
        for (const link of this.links)
            link.apply(toxics.filter((t) => t.stream === link.stream));
    }
    /** Closes both sockets now: the proxy stopped. */
    destroy() {
        if (this.over)
            return;
        this.over = true;
        for (const link of this.links ?? [])
            link.dispose();
        this.client.destroy();
        this.upstream.destroy();
        this.ctx.gone(this);
    }
    link() {
        if (this.over)
            return;
        const toxics = this.ctx.toxics();
        const host = (stream) => ({
            timers: this.ctx.timers,
            random: this.ctx.random,
            bytes: this.ctx.bytes[stream],
            applied: (name) => this.ctx.applied(name),
            left: (name) => this.ctx.left(name),
            close: () => this.closeBoth(),
            reset: () => this.reset(),
            finished: () => {
                if (++this.finished === 2)
                    this.destroy();
            },
        });
        const of = (stream) => toxics.filter((t) => t.stream === stream);
        this.links = [
            new Link('upstream', this.client, this.upstream, host('upstream'), of('upstream')),
            new Link('downstream', this.upstream, this.client, host('downstream'), of('downstream')),
        ];
        for (const link of this.links)
            link.start();
    }
    /** A toxic ended the connection: each direction delivers what its toxics hold, then ends; both sockets close after. */
    closeBoth() {
        for (const link of this.links ?? [])
            link.endInput();
    }
    /** TCP RST to both peers: unsent bytes are discarded, each side sees ECONNRESET. */
    reset() {
        if (this.over)
            return;
        for (const socket of [this.client, this.upstream])
            if (!socket.destroyed)
                socket.resetAndDestroy();
        this.destroy();
    }
}
//# sourceMappingURL=connection.js.map