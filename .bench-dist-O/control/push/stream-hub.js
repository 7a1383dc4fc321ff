import { sseEvent } from './snapshot.js';
/** A comment line every 15 s keeps idle streams alive through proxies and NATs, and shows a dead peer. */
export const PING_MS = 15_000;
/**
 * One server-sent-event stream per connected proxy. Every new version is
 * serialised once and written to every stream; a stream whose socket is
 * backed up skips to the newest snapshot instead of queueing each one.
 */
export class StreamHub {
    desired;
    observed;
    timers;
    streams = new Set();
    unsubscribe;
    pinger;
    closed = false;
    constructor(desired, observed, timers) {
        this.desired = desired;
        this.observed = observed;
        this.timers = timers;
        this.unsubscribe = [desired.subscribe((d) => this.broadcastSnapshot(d)), desired.onLeases((r) => this.broadcastLeases(r))];
        this.schedulePing();
    }
    schedulePing() {
        this.pinger = this.timers.setTimeout(() => {
            for (const s of this.streams)
                this.write(s, ': ping\n\n');
            if (!this.closed)
                this.schedulePing();
        }, PING_MS);
        this.pinger.unref?.();
    }
    /** Takes over a response as a proxy's stream: headers, the current snapshot, then every change until it closes. */
    attach(res, identity, applied) {
        const d = this.desired.current;
        // A version this store never reached is another history's (a restart without --data): it tells nothing until the proxy acks this one.
        const connection = this.observed.connect(identity, applied <= d.version ? applied : 0);
        res.status(200).set({ 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'x-accel-buffering': 'no' });
        res.flushHeaders();
        res.socket?.setNoDelay(true);
        const stream = { id: identity.id, res, blocked: false, pending: undefined, channels: new Set() };
        // Another stream under the same id is an older connection of the same proxy: it ends.
        for (const s of this.streams)
            if (s.id === identity.id)
                this.end(s);
        this.streams.add(stream);
        res.on('close', () => {
            this.streams.delete(stream);
            this.observed.disconnect(identity.id, connection);
            for (const end of [...stream.channels])
                end();
        });
        this.write(stream, sseEvent('snapshot', this.desired.snapshot(d), d.version));
    }
    /**
     * Ties a proxy's channel to its open stream: `end` is called when that
     * stream closes, so a channel never outlives the stream it answers (a
     * proxy that died without a FIN is noticed by the stream's pings, never by
     * a channel the control plane only reads). Returns the function that
     * unties it, or undefined when the proxy has no stream open here.
     */
    joinChannel(id, end) {
        let newest;
        for (const s of this.streams)
            if (s.id === id)
                newest = s;
        if (!newest)
            return undefined;
        const stream = newest;
        stream.channels.add(end);
        return () => void stream.channels.delete(end);
    }
    get size() {
        return this.streams.size;
    }
    /** Ends every proxy stream (they reconnect, to this replica or another); the hub stays open. */
    endAll() {
        for (const s of [...this.streams])
            this.end(s);
    }
    close() {
        this.closed = true;
        for (const u of this.unsubscribe)
            u();
        this.timers.clearTimeout(this.pinger);
        for (const s of [...this.streams])
            this.end(s);
    }
    broadcastSnapshot(d) {
        if (this.streams.size === 0)
            return;
        const event = sseEvent('snapshot', this.desired.snapshot(d), d.version);
        for (const s of this.streams)
            this.write(s, event, true);
    }
    broadcastLeases(r) {
        const event = sseEvent('leases', r);
        for (const s of this.streams)
            this.write(s, event);
    }
    /** `replaces`: a whole snapshot, which makes whatever still waits for the socket (older snapshots, lease remainders) pointless. */
    write(s, text, replaces = false) {
        if (s.blocked) {
            s.pending = replaces ? text : (s.pending ?? '') + text;
            return;
        }
        if (s.res.write(text))
            return;
        s.blocked = true;
        s.res.once('drain', () => {
            s.blocked = false;
            const pending = s.pending;
            s.pending = undefined;
            if (pending !== undefined)
                this.write(s, pending);
        });
    }
    end(s) {
        this.streams.delete(s);
        s.res.end();
    }
}
//# sourceMappingURL=stream-hub.js.map