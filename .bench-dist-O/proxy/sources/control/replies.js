import { PassThrough } from 'node:stream';
import { request } from 'undici';
/** How long a channel may take to end once its stream has: past it, it is cut. */
export const CHANNEL_END_MS = 5_000;
/** The control plane's lines are a few dozen bytes; a longer one is not its. */
const MAX_ANSWER_LINE = 64 * 1024;
/**
 * Where a proxy's acks and reports go while one stream is open: NDJSON lines
 * on one long request, `POST /v1/proxies/:id/channel`, opened with the
 * stream. Until it is open they wait, in order. When the control plane
 * refuses it (an older one answers 404) or closes it (a line it refused),
 * they go one POST each, as before the channel, for the rest of this
 * stream; an ack the channel took but had not recorded is posted again.
 */
export class Replies {
    options;
    mode = 'opening';
    waiting = [];
    body = new PassThrough();
    cut = new AbortController();
    posts = Promise.resolve();
    sentLines = 0;
    recordedLines = 0;
    lastAck;
    closed = false;
    channel;
    constructor(options) {
        this.options = options;
        this.channel = this.open();
    }
    send(kind, body) {
        if (this.mode === 'opening')
            return void this.waiting.push({ kind, body });
        if (this.mode === 'post')
            return this.post(kind, body);
        this.body.write(`${JSON.stringify({ type: kind, ...body })}\n`);
        this.sentLines++;
        if (kind === 'ack')
            this.lastAck = { body, line: this.sentLines };
    }
    /** The stream ended: ends the channel (cut after CHANNEL_END_MS) and waits for what is in flight. */
    async close() {
        this.closed = true;
        this.body.end();
        const timer = this.options.timers.setTimeout(() => this.cut.abort(), CHANNEL_END_MS);
        await this.channel;
        this.options.timers.clearTimeout(timer);
        await this.posts;
    }
    async open() {
        // undici sends a streamed request's head with its first chunk: a blank line, which the control plane skips.
        this.body.write('\n');
        let res;
        try {
            res = await request(`${this.options.url}/v1/proxies/${encodeURIComponent(this.options.id)}/channel`, {
                method: 'POST',
                headers: { 'content-type': 'application/x-ndjson', ...this.options.headers },
                body: this.body,
                dispatcher: this.options.dispatcher,
                signal: AbortSignal.any([this.options.signal, this.cut.signal]),
                headersTimeout: 10_000,
                // The answer is a line per chunk of acks, and may be silent for as long as nothing changes.
                bodyTimeout: 0,
            });
        }
        catch (err) {
            return this.fallBack(`the channel to ${this.options.url} failed (${err.message})`);
        }
        if (res.statusCode !== 200) {
            await res.body.dump().catch(() => { });
            return this.fallBack(`${this.options.url} refused the channel (${res.statusCode})`);
        }
        this.mode = 'channel';
        for (const w of this.waiting.splice(0))
            this.send(w.kind, w.body);
        const refusal = await this.readAnswers(res.body).catch((err) => (this.closed ? undefined : `the channel broke: ${err.message}`));
        if (this.closed && refusal === undefined)
            return;
        const reason = refusal ?? `${this.options.url} closed the channel`;
        this.options.onError(reason);
        this.fallBack(reason);
        // The ack it took last may not have been recorded: it is what the proxy runs, so it is said again.
        if (this.lastAck && this.lastAck.line > this.recordedLines)
            this.post('ack', this.lastAck.body);
    }
    /** Reads `recorded` and `error` lines until the answer ends; returns the error's message, if one came. */
    async readAnswers(answer) {
        const decoder = new TextDecoder();
        let buffer = '';
        for await (const chunk of answer) {
            buffer += decoder.decode(chunk, { stream: true });
            if (buffer.length > MAX_ANSWER_LINE)
                throw new Error(`an answer line over ${MAX_ANSWER_LINE} characters`);
            for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
                const line = buffer.slice(0, nl);
                buffer = buffer.slice(nl + 1);
                const message = parseLine(line);
                if (message?.type === 'recorded' && typeof message.lines === 'number')
                    this.recordedLines = message.lines;
                if (message?.type === 'error')
                    return `the control plane closed the channel: ${String(message.code)}: ${String(message.message)}`;
            }
        }
        return undefined;
    }
    fallBack(reason) {
        if (this.mode === 'post')
            return;
        this.mode = 'post';
        this.body.destroy();
        if (this.closed || this.options.signal.aborted)
            return;
        this.options.log?.(`${reason}: sending acks and reports by POST`);
        for (const w of this.waiting.splice(0))
            this.post(w.kind, w.body);
    }
    /** One at a time, in order; a failed one is not retried (the next carries newer state). */
    post(kind, body) {
        const url = `${this.options.url}/v1/proxies/${encodeURIComponent(this.options.id)}/${kind}`;
        this.posts = this.posts.then(async () => {
            try {
                const res = await request(url, { method: 'POST', headers: { 'content-type': 'application/json', ...this.options.headers }, body: JSON.stringify(body), dispatcher: this.options.dispatcher, signal: this.options.signal, headersTimeout: 10_000, bodyTimeout: 10_000 });
                await res.body.dump();
                if (res.statusCode >= 400)
                    this.options.onError(`${kind} answered ${res.statusCode}`);
            }
            catch (err) {
                if (!this.options.signal.aborted)
                    this.options.onError(`${kind} failed: ${err.message}`);
            }
        });
    }
}
function parseLine(line) {
    try {
        const value = JSON.parse(line);
        return typeof value === 'object' && value !== null ? value : undefined;
    }
    catch {
        return undefined;
    }
}
//# sourceMappingURL=replies.js.map