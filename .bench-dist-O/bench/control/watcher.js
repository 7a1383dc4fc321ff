import { PassThrough } from 'node:stream';
import { Client } from 'undici';
/** Microseconds on the system-wide monotonic clock (CLOCK_MONOTONIC on Linux): comparable across processes on one host. */
export const nowUs = () => Number(process.hrtime.bigint() / 1000n);
/** How many acks a watcher remembers: the bench waits on the newest few versions only. */
const KEPT_ACKS = 64;
/** A snapshot carries a small mesh and at most a few faults here; anything bigger is a bug in the bench. */
const MAX_BUFFER_CHARS = 4 * 1024 * 1024;
const REPORT = JSON.stringify({ type: 'report', faults: {}, instances: [{ service: 'bench', id: 'bench-1', state: 'healthy' }] });
/**
 * A light stand-in for a proxy: the same stream, and acks and reports as
 * lines on the same channel as `faultmesh proxy --control`, on its own two
 * connections (stream; channel), without applying anything. It reads each snapshot's version from
 * its `id:` line and does not parse the JSON: the bench measures the control
 * plane, and the watchers share its two cores.
 */
export class Watcher {
    options;
    acks = [];
    reports = 0;
    errors = 0;
    stream;
    posts;
    channel = new PassThrough();
    sent = [];
    lines = 0;
    reportTimer;
    closed = false;
    constructor(options) {
        this.options = options;
        this.stream = new Client(options.origin, { bodyTimeout: 0, headersTimeout: 10_000 });
        this.posts = new Client(options.origin, { headersTimeout: 10_000, bodyTimeout: 0 });
    }
    /** Opens the stream; resolves once the first snapshot is acknowledged, rejects if the stream cannot open. */
    start() {
        return new Promise((resolve, reject) => {
            const first = () => {
                if (this.acks.length > 0)
                    resolve();
            };
            this.consume(first).catch((err) => {
                if (!this.closed)
                    reject(err);
            });
        });
    }
    /** The first ack of a version at or after `version`, if there is one yet. */
    ackFor(version) {
        return this.acks.find((a) => a.version >= version);
    }
    /** Reports every `everyMs` (0: stop), from a random offset so the watchers do not report in step. */
    report(everyMs) {
        clearTimeout(this.reportTimer);
        this.reportTimer = undefined;
        if (everyMs <= 0 || this.closed)
            return;
        const next = (delay) => {
            this.reportTimer = setTimeout(() => {
                this.send({ line: 0, kind: 'report' }, REPORT);
                next(everyMs);
            }, delay);
        };
        next(Math.random() * everyMs);
    }
    async close() {
        this.closed = true;
        this.report(0);
        this.channel.end();
        await Promise.all([this.stream.destroy(), this.posts.destroy()]);
    }
    async consume(onFirstAck) {
        const query = new URLSearchParams({ id: this.options.id, service: 'bench', applied: '0' });
        const res = await this.stream.request({ path: `/v1/stream?${query}`, method: 'GET', headers: { accept: 'text/event-stream', ...this.authorization() } });
        if (res.statusCode !== 200)
            throw new Error(`watcher ${this.options.id}: stream answered ${res.statusCode}: ${await res.body.text()}`);
        await this.openChannel(onFirstAck);
        res.body.setEncoding('utf8');
        let buffer = '';
        for await (const chunk of res.body) {
            buffer += chunk;
            if (buffer.length > MAX_BUFFER_CHARS)
                throw new Error(`watcher ${this.options.id}: an event over ${MAX_BUFFER_CHARS} characters`);
            for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
                const block = buffer.slice(0, end);
                buffer = buffer.slice(end + 2);
                if (!block.startsWith('event: snapshot\n'))
                    continue;
                const version = Number(/\nid: (\d+)\n/.exec(block)?.[1]);
                if (Number.isInteger(version))
                    this.ack(version, nowUs());
            }
        }
    }
    /** Opens the channel once the stream is up, as a proxy does; its answers say which lines were recorded. */
    async openChannel(onFirstAck) {
        this.channel.write('\n'); // undici sends the request head with the body's first chunk
        const res = await this.posts.request({ path: `/v1/proxies/${encodeURIComponent(this.options.id)}/channel`, method: 'POST', headers: { 'content-type': 'application/x-ndjson', ...this.authorization() }, body: this.channel });
        if (res.statusCode !== 200)
            throw new Error(`watcher ${this.options.id}: channel answered ${res.statusCode}: ${await res.body.text()}`);
        res.body.setEncoding('utf8');
        void (async () => {
            let buffer = '';
            for await (const chunk of res.body) {
                buffer += chunk;
                for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
                    const answer = JSON.parse(buffer.slice(0, nl));
                    buffer = buffer.slice(nl + 1);
                    if (answer.type === 'recorded')
                        this.recorded(answer.lines ?? 0, onFirstAck);
                    else
                        this.errors++;
                }
            }
        })().catch(() => {
            if (!this.closed)
                this.errors++;
        });
    }
    ack(version, receivedUs) {
        this.send({ line: 0, kind: 'ack', version, receivedUs }, JSON.stringify({ type: 'ack', version, applied: true }));
    }
    /** `entry.line` is filled in here: lines are numbered as the control plane counts them (blank ones not counted). */
    send(entry, line) {
        if (this.closed)
            return;
        this.sent.push({ ...entry, line: ++this.lines });
        this.channel.write(`${line}\n`);
    }
    /** The control plane has recorded every line up to `lines`. */
    recorded(lines, onFirstAck) {
        const ackedUs = nowUs();
        let acked = false;
        while (this.sent.length > 0 && this.sent[0].line <= lines) {
            const s = this.sent.shift();
            if (s.kind === 'report') {
                this.reports++;
                continue;
            }
            this.acks.push({ version: s.version, receivedUs: s.receivedUs, ackedUs });
            if (this.acks.length > KEPT_ACKS)
                this.acks.shift();
            acked = true;
        }
        if (!acked)
            return;
        onFirstAck();
        this.options.onAck();
    }
    authorization() {
        return this.options.token ? { authorization: `Bearer ${this.options.token}` } : {};
    }
}
//# sourceMappingURL=watcher.js.map