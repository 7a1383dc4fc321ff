import { maxHeaderSize } from 'node:http';
import { clientFailure, ProxyError, unsupportedMethod } from '../errors.js';
import { answerAndClose } from '../http/error-response.js';
/**
 * What a plaintext caller of a mutual-TLS inbound reads before the
 * connection closes: a plain HTTP answer naming the problem, rather than
 * the bytes of a failed handshake.
 */
export const plaintextRefusal = (service) => new ProxyError('MTLS_REQUIRED', 400, `the inbound sidecar of service "${service}" accepts mutual TLS only: call it through a faultmesh sidecar with a mesh certificate`);
/**
 * The inbound listener's answers to requests node:http's parser refused
 * (431, 408, 400) and to CONNECT (405), as the outbound listener gives them
 * (http/proxy-server.ts), on either kind of connection.
 */
export function answerClientErrors(server, lingerMs) {
    server.on('connect', (_req, socket) => answerAndClose(socket, unsupportedMethod('CONNECT'), lingerMs));
    server.on('clientError', (err, socket) => {
        if (socket.writableEnded)
            return;
        const responding = socket._httpMessage != null;
        if (err.code === 'ECONNRESET' || !socket.writable || responding)
            socket.destroy();
        else
            answerAndClose(socket, clientFailure(err, maxHeaderSize), lingerMs);
    });
}
//# sourceMappingURL=inbound-refusals.js.map