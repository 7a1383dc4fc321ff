import { Agent } from 'undici';
import { formatIssue, ConfigError } from '../../config/config-error.js';
import { backoffMs } from './backoff.js';
import { ControlFaultSource } from './control-fault-source.js';
import { ControlMeshSource } from './control-mesh-source.js';
import { Replies } from './replies.js';
import { buildReport } from './report.js';
import { leasesSchema, snapshotSchema } from './snapshot.js';
import { consumeStream } from './sse-stream.js';
import { realTimers, sleepOn } from '../../core/timers.js';
export const REPORT_EVERY_MS = 2_000;
/**
 * The proxy's side of the push protocol: one stream to one replica at a
 * time, each snapshot applied whole (mesh, registrations, overrides, faults,
 * halt) or refused with the reason, acknowledged either way, and a report
 * every 2 s, both as lines on a channel that opens and ends with the stream
 * (replies.ts). A lost stream is retried with full-jitter back-off across the
 * replicas; meanwhile the proxy serves its last configuration (fail static)
 * and its faults end at their last known lease end (fail safe).
 */
export class ControlClient {
    options;
    mesh;
    faults;
    timers;
    random;
    agent = new Agent({ keepAliveTimeout: 10_000, connect: { timeout: 5_000 } });
    closing = new AbortController();
    url;
    connectedAt;
    applied = 0;
    lastError;
    /** Reasons already logged since the last connection: with several URLs each attempt names another one, so comparing with the previous attempt's reason did not stop a flood. */
    loggedReasons = new Set();
    running;
    handle;
    /** Where acks and reports go while a stream is open; replaced with each stream. */
    replies;
    /** Replies of ended streams, still finishing what they had in flight. */
    draining = Promise.resolve();
    reportTimer;
    constructor(options) {
        this.options = options;
        if (options.urls.length === 0)
            throw new TypeError('the control client needs at least one URL');
        this.timers = options.timers ?? realTimers;
        this.random = options.random ?? Math.random;
        this.url = options.urls[0];
        this.mesh = new ControlMeshSource(() => this.url, this.timers, options.fallbackFile);
        this.faults = new ControlFaultSource(() => this.url, this.timers, this.random);
    }
    /** Starts connecting; the proxy calls it once it listens. */
    start(handle) {
        this.handle = handle;
        this.running ??= this.run();
    }
    /** For /healthz `control`. */
    health() {
        return {
            url: this.url,
            connected: this.connectedAt !== undefined,
            since: this.connectedAt === undefined ? null : new Date(this.connectedAt).toISOString(),
            version: this.applied,
            lastError: this.lastError ?? null,
        };
    }
    async close() {
        this.closing.abort();
        await this.running;
        await this.draining;
        this.mesh.close();
        await this.agent.destroy();
    }
    async run() {
        let failures = 0;
        for (let turn = 0; !this.closing.signal.aborted; turn++) {
            this.url = this.options.urls[turn % this.options.urls.length];
            const stream = new AbortController();
            const stop = () => stream.abort();
            this.closing.signal.addEventListener('abort', stop, { once: true });
            let newest = -1;
            try {
                await consumeStream(`${this.url}/v1/stream?${this.query()}`, {
                    headers: this.authorization(),
                    dispatcher: this.agent,
                    signal: stream.signal,
                    onOpen: () => {
                        failures = 0;
                        this.connectedAt = this.timers.now();
                        this.lastError = undefined;
                        this.loggedReasons.clear();
                        this.options.log?.(`connected to the control plane at ${this.url}`);
                        this.replies = new Replies({
                            url: this.url,
                            id: this.options.id,
                            headers: this.authorization(),
                            dispatcher: this.agent,
                            signal: this.closing.signal,
                            timers: this.timers,
                            onError: (message) => (this.lastError = message),
                            log: this.options.log,
                        });
                        this.scheduleReport();
                    },
                    onEvent: (event) => {
                        newest = this.onEvent(event, newest);
                    },
                });
            }
            catch (err) {
                if (this.closing.signal.aborted)
                    break;
                this.lastError = err.message;
                if (this.connectedAt !== undefined)
                    this.options.log?.(`lost the control plane at ${this.url}: ${this.lastError}; keeping the running configuration`);
                // Once per reason until a stream opens, not per retry: a proxy that never connects (wrong token, wrong URL) must say so without flooding stderr.
                else if (this.firstTime(this.lastError))
                    this.options.log?.(`cannot reach the control plane: ${this.lastError}; retrying`);
            }
            finally {
                this.closing.signal.removeEventListener('abort', stop);
                this.timers.clearTimeout(this.reportTimer);
                this.connectedAt = undefined;
                if (this.replies)
                    this.draining = Promise.all([this.draining, this.replies.close()]);
                this.replies = undefined;
            }
            await sleepOn(this.timers, backoffMs(failures++, this.random), this.closing.signal);
        }
    }
    /** Whether a reason is new since the last connection; capped, so reasons that keep changing (a counter in the text) cannot grow it for good. */
    firstTime(reason) {
        if (this.loggedReasons.has(reason) || this.loggedReasons.size >= MAX_LOGGED_REASONS)
            return false;
        this.loggedReasons.add(reason);
        return true;
    }
    /** Handles one event; returns the newest version seen on this stream. */
    onEvent(event, newest) {
        if (event.event === 'leases') {
            const leases = leasesSchema.safeParse(parseJson(event.data));
            if (leases.success) {
                this.faults.extend(leases.data.remaining);
                this.mesh.extendOverrides(leases.data.overrides);
            }
            return newest;
        }
        if (event.event !== 'snapshot')
            return newest;
        const parsed = snapshotSchema.safeParse(parseJson(event.data));
        if (!parsed.success) {
            const version = Number(event.id);
            if (Number.isInteger(version))
                this.ack({ version, applied: false, reason: `not a snapshot: ${parsed.error.issues[0]?.message ?? 'invalid'}` });
            return newest;
        }
        const snapshot = parsed.data;
        // Within one stream versions only grow. Across streams a lower one is taken: a restarted control plane starts its history again.
        if (snapshot.version < newest)
            return newest;
        const ack = this.apply(snapshot);
        const confirm = this.options.confirm;
        if (ack.applied && confirm)
            void confirm().then((reason) => this.ack(reason === undefined ? ack : { version: ack.version, applied: false, reason: clip(reason) }));
        else
            this.ack(ack);
        return snapshot.version;
    }
    /** Validates every part first, then swaps them in: the version is applied whole or not at all. */
    apply(snapshot) {
        try {
            const mesh = this.mesh.prepare(snapshot);
            const faults = this.faults.prepare(snapshot);
            this.mesh.commit(mesh);
            this.faults.commit(faults);
        }
        catch (err) {
            const reason = clip(err instanceof ConfigError ? err.issues.map(formatIssue).join('\n') : err.message);
            this.options.log?.(`refused control-plane version ${snapshot.version}, keeping version ${this.applied}: ${reason}`);
            return { version: snapshot.version, applied: false, reason };
        }
        this.applied = snapshot.version;
        return { version: snapshot.version, applied: true };
    }
    /** Every 2 s while a stream is open; the stream's end clears it. */
    scheduleReport() {
        this.reportTimer = this.timers.setTimeout(() => {
            if (this.handle)
                this.post('report', buildReport(this.faults.store, this.handle.table()));
            this.scheduleReport();
        }, this.options.reportEveryMs ?? REPORT_EVERY_MS);
    }
    ack(ack) {
        this.post('ack', ack);
    }
    /** To the replica of the current stream, on its channel or by POST (replies.ts); nothing goes out between streams. */
    post(kind, body) {
        this.replies?.send(kind, body);
    }
    query() {
        const params = new URLSearchParams({ id: this.options.id, applied: String(this.applied) });
        if (this.options.service)
            params.set('service', this.options.service);
        if (this.options.region)
            params.set('region', this.options.region);
        if (this.options.zone)
            params.set('zone', this.options.zone);
        if (this.handle)
            params.set('admin', this.handle.adminUrl);
        return params.toString();
    }
    authorization() {
        return this.options.token ? { authorization: `Bearer ${this.options.token}` } : {};
    }
}
/** Distinct "cannot reach" lines between two connections: a few per replica is plenty to tell what is wrong. */
const MAX_LOGGED_REASONS = 16;
const MAX_REASON_CHARS = 4_000;
/** A reason the control plane can keep: the first lines of a long list of issues. */
const clip = (reason) => (reason.length > MAX_REASON_CHARS ? `${reason.slice(0, MAX_REASON_CHARS - 20)}… (and more)` : reason);
function parseJson(text) {
    try {
        return JSON.parse(text);
    }
    catch {
        return undefined;
    }
}
//# sourceMappingURL=control-client.js.map