import { createParser } from 'eventsource-parser';
import { request } from 'undici';
/** No byte for this long (the control plane pings every 15 s) means the stream is dead: reconnect. */
export const STREAM_IDLE_MS = 45_000;
/** Largest event the proxy buffers: a snapshot holds at most a 1 MiB mesh text plus its faults and registrations. */
const MAX_EVENT_CHARS = 8 * 1024 * 1024;
/** Why a connection to the control plane failed or ended, said for /healthz `lastError`. */
export class StreamError extends Error {
    code;
    name = 'StreamError';
    constructor(code, message) {
        super(message);
        this.code = code;
    }
}
/**
 * Holds one server-sent-event stream open until it ends; always rejects
 * (with a StreamError, or the abort's reason) so the caller reconnects.
 */
export async function consumeStream(url, options) {
    let response;
    try {
        response = await request(url, {
            method: 'GET',
            headers: { accept: 'text/event-stream', ...options.headers },
            dispatcher: options.dispatcher,
            signal: options.signal,
            headersTimeout: 10_000,
            bodyTimeout: STREAM_IDLE_MS,
        });
    }
    catch (err) {
        if (options.signal.aborted)
            throw err;
        throw new StreamError('UNREACHABLE', `cannot reach ${new URL(url).origin}: ${describe(err)}`);
    }
    if (response.statusCode !== 200 || !String(response.headers['content-type'] ?? '').startsWith('text/event-stream')) {
        const text = await response.body.text().catch(() => '');
        throw new StreamError('REFUSED', `${new URL(url).origin} answered ${response.statusCode}${refusal(text)}`);
    }
    options.onOpen();
    const parser = createParser({ onEvent: options.onEvent, maxBufferSize: MAX_EVENT_CHARS });
    const decoder = new TextDecoder();
    try {
        for await (const chunk of response.body)
            parser.feed(decoder.decode(chunk, { stream: true }));
    }
    catch (err) {
        if (options.signal.aborted)
            throw err;
        throw new StreamError('ENDED', `the stream from ${new URL(url).origin} broke: ${describe(err)}`);
    }
    throw new StreamError('ENDED', `${new URL(url).origin} closed the stream`);
}
/** The `code: message` of a JSON error body, when there is one. */
function refusal(text) {
    try {
        const body = JSON.parse(text);
        if (typeof body.code === 'string')
            return ` ${body.code}: ${String(body.message ?? '')}`;
    }
    catch {
        // not JSON: the status says enough
    }
    return '';
}
const describe = (err) => {
    const e = err;
    return typeof e.code === 'string' ? `${e.code}${e.message ? ` (${String(e.message)})` : ''}` : String(e.message ?? err);
};
//# sourceMappingURL=sse-stream.js.map