/** The first byte of every TLS connection: a handshake record (RFC 8446 5.1). */
const TLS_HANDSHAKE = 0x16;
/**
 * Puts a first-byte check in front of a tls.Server's own connection
 * listener, the one node:tls registered (as http/connection-limit.ts does
 * for node:http): a connection that opens with a TLS handshake goes on to
 * node:tls unchanged, anything else is plaintext. The byte is read and put
 * back, so whichever layer takes the socket reads the stream from its
 * start. The connection cap lives here too, before either path: both
 * kinds of connection hold a descriptor.
 */
export function routeConnections(server, routing) {
    const own = server.listeners('connection');
    if (own.length !== 1)
        throw new Error(`expected tls.Server to have one connection listener, found ${own.length}`);
    const startTls = own[0];
    server.removeListener('connection', startTls);
    const open = new Set();
    const sniffing = new Set();
    server.on('connection', (socket) => {
        sniffing.add(socket);
        sniffFirstByte(socket, routing.firstByteTimeoutMs, (byte) => {
            sniffing.delete(socket);
            if (byte === undefined)
                return void socket.destroy();
            if (open.size >= routing.maxConnections)
                return routing.refuse(socket, byte);
            open.add(socket);
            socket.once('close', () => open.delete(socket));
            if (byte === TLS_HANDSHAKE)
                startTls.call(server, socket);
            else
                routing.plaintext(socket);
        });
    });
    return {
        open: () => open.size,
        cutSniffing: () => {
            for (const socket of sniffing)
                socket.destroy();
        },
        cutAll: () => {
            for (const socket of [...sniffing, ...open])
                socket.destroy();
        },
    };
}
/**
 * Calls `then` with the socket's first byte, left unread in the socket (and
 * the socket paused), or with undefined when it closes, errs or stays silent
 * for `timeoutMs` first.
 */
function sniffFirstByte(socket, timeoutMs, then) {
    const finish = (byte) => {
        clearTimeout(timer);
        socket.removeListener('data', onData);
        socket.removeListener('end', onGone);
        socket.removeListener('close', onGone);
        socket.removeListener('error', onGone);
        then(byte);
    };
    const onData = (chunk) => {
        socket.pause();
        socket.unshift(chunk);
        finish(chunk[0]);
    };
    const onGone = () => finish(undefined);
    const timer = setTimeout(onGone, timeoutMs);
    timer.unref();
    socket.on('data', onData);
    socket.once('end', onGone);
    socket.once('close', onGone);
    socket.once('error', onGone);
}
//# sourceMappingURL=inbound-connections.js.map