import { toProxyError } from '../errors.js';
import { writeError } from './error-response.js';
import { downstreamHeaders } from './headers.js';
/**
 * Writes the outcome of a call to the client. Never throws: it runs in a
 * promise callback, where an exception would become an unhandled rejection
 * and take the whole proxy down with it.
 */
export function respond(call, outcome) {
    try {
        write(call, outcome);
    }
    catch (err) {
        if (outcome.kind === 'response')
            outcome.response.body.destroy();
        if (call.res.headersSent)
            call.res.destroy();
        else
            writeError(call.res, (call.error = toProxyError(err)), call.trace.requestId, call.fault?.rule);
    }
}
/** The upstream's response streamed through, an error, or a dropped connection. */
function write(call, outcome) {
    if (outcome.kind === 'error') {
        call.error = outcome.error;
        writeError(call.res, outcome.error, call.trace.requestId, call.fault?.rule);
        return;
    }
    if (outcome.kind === 'drop') {
        call.flags.push(outcome.reason);
        call.res.destroy();
        return;
    }
    const { response } = outcome;
    const upstream = response.body;
    const body = outcome.body ?? upstream;
    const { res } = call;
    if (res.destroyed) {
        upstream.destroy();
        return;
    }
    res.writeHead(response.statusCode, response.statusMessage, downstreamHeaders(response.rawHeaders, call.trace.requestId, call.fault?.rule));
    // pipe, not stream.pipeline: on Node 20 pipeline builds an AbortController
    // and a DOMException per call, a tenth of the proxy's CPU. The two handlers
    // below give the part of pipeline we need: an upstream that dies mid-body
    // cuts the client off, and a client that leaves frees the upstream socket.
    if (body === upstream && response.relayTo)
        response.relayTo(res);
    else
        body.pipe(res);
    // Both forwarders' bodies error when the upstream breaks mid-body (node:http
    // also emits 'aborted', and errors as well when someone listens, as here).
    upstream.once('error', () => interrupted(call));
    call.whenClosed(() => {
        if (!upstream.readableEnded)
            upstream.destroy();
        if (body !== upstream)
            body.destroy();
    });
}
function interrupted(call) {
    if (!call.flags.includes('BODY_INTERRUPTED'))
        call.flags.push('BODY_INTERRUPTED');
    call.res.destroy();
}
//# sourceMappingURL=respond.js.map