import { STATUS_CODES } from 'node:http';
/**
 * The one place a typed error becomes an HTTP response: JSON `{code, message}`,
 * its status, and `x-faultmesh-error: CODE` so nobody mistakes a response the
 * proxy made up for one from the service.
 */
export function writeError(res, error, requestId, faultRule) {
    if (res.headersSent) {
        // Too late for a status: cutting the connection is the only honest signal.
        res.destroy();
        return;
    }
    const { headers, body } = errorReply(error, requestId, faultRule);
    res.writeHead(error.status, headers);
    res.end(body);
}
/** The head and body of an error answer, built here only, for both kinds of connection. */
function errorReply(error, requestId, faultRule) {
    const reply = error.reply;
    const body = reply ? (reply.body ?? '') : JSON.stringify({ code: error.code, message: error.message });
    const headers = {
        'content-type': reply ? 'text/plain; charset=utf-8' : 'application/json',
        ...reply?.headers,
        'content-length': Buffer.byteLength(body),
        'x-faultmesh-error': error.code,
    };
    if (requestId !== undefined)
        headers['x-request-id'] = requestId;
    if (faultRule !== undefined)
        headers['x-faultmesh-fault'] = faultRule;
    return { headers, body };
}
/** Headers that frame the answer on a raw socket: set here only, never from an abort rule's own headers. */
const FRAMING = new Set(['content-length', 'connection', 'transfer-encoding', 'keep-alive']);
/**
 * The same answer for a socket with no HTTP exchange to write to (a CONNECT,
 * a request the parser refused, a connection beyond the cap, a refused
 * upgrade, which passes `ids`): the whole response, then close. It lingers
 * up to `lingerMs` reading and discarding what the client still sends,
 * because closing with unread input resets the connection and the client
 * may lose the answer; then it is destroyed whatever the client does, so a
 * refused client cannot hold the descriptor.
 */
export function answerAndClose(socket, error, lingerMs, ids) {
    const { headers, body } = errorReply(error, ids?.requestId, ids?.faultRule);
    let head = `HTTP/1.1 ${error.status} ${STATUS_CODES[error.status] ?? ''}\r\n`;
    for (const name in headers)
        if (name === 'content-length' || !FRAMING.has(name.toLowerCase()))
            head += `${name}: ${headers[name]}\r\n`;
    socket.on('error', () => socket.destroy());
    socket.end(`${head}connection: close\r\n\r\n${body}`);
    socket.resume();
    socket.once('end', () => socket.destroy());
    const timer = setTimeout(() => socket.destroy(), lingerMs);
    timer.unref();
    socket.once('close', () => clearTimeout(timer));
}
//# sourceMappingURL=error-response.js.map