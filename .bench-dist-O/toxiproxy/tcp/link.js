import { Stage } from './stage.js';
/**
 * Most bytes a link's toxics may hold before it stops reading its source.
 * A latency toxic keeps this much in flight (1 MiB per 50 ms is 20 MB/s);
 * a slow reader on the far side stops the source once the destination
 * socket's buffer is full, whatever this is.
 */
export const LINK_HIGH_WATER = 1 << 20;
/** The destination socket as the last sink: counts, notes when the socket buffer is full. */
class SocketSink {
    dest;
    bytes;
    blocked = false;
    ended = false;
    constructor(dest, bytes) {
        this.dest = dest;
        this.bytes = bytes;
    }
    write(chunk) {
        if (this.ended || this.dest.destroyed)
            return;
        this.bytes.sent += chunk.length;
        if (!this.dest.write(chunk))
            this.blocked = true;
    }
    end() {
        if (this.ended)
            return;
        this.ended = true;
        if (!this.dest.destroyed)
            this.dest.end();
    }
}
/**
 * One direction of a connection: source socket, the toxics of its stream
 * in order, destination socket. Toxicity is rolled per toxic per link, when
 * the toxic arrives on it (the connection opens, the toxic is added) and
 * again when the toxic changes, as Toxiproxy re-runs a toxic's stub.
 */
export class Link {
    stream;
    source;
    host;
    records = [];
    head;
    sink;
    stageHost;
    inputEnded = false;
    /** Not reading: not started yet, or held back (full destination, too much held). */
    paused = true;
    started = false;
    constructor(stream, source, dest, host, toxics) {
        this.stream = stream;
        this.source = source;
        this.host = host;
        this.sink = new SocketSink(dest, host.bytes);
        this.head = this.sink;
        this.stageHost = { timers: host.timers, random: host.random, released: () => this.resumeIfRoom(), close: () => host.close(), reset: () => host.reset() };
        this.apply(toxics);
        dest.on('drain', () => {
            this.sink.blocked = false;
            this.resumeIfRoom();
        });
        dest.once('finish', () => host.finished());
        source.on('data', (chunk) => this.onData(chunk));
        source.once('end', () => this.endInput());
    }
    /** Starts reading the source. */
    start() {
        this.started = true;
        this.resumeIfRoom();
    }
    /** No more input: the source half-closed, or the connection is closing. What the toxics hold still goes on. */
    endInput() {
        if (this.inputEnded)
            return;
        this.inputEnded = true;
        this.source.pause();
        this.head.end();
    }
    /**
     * The toxics of this link's stream, in chain order, as the proxy now has
     * them. Toxics that stay keep their state; one removed or rolled out
     * first forwards what it holds. Every release walks the old chain in
     * order, so held bytes only ever flow forward into what is still there.
     */
    apply(toxics) {
        const wanted = new Map(toxics.map((t) => [t.name, t]));
        const kept = this.records.filter((r) => wanted.get(r.spec.name)?.type === r.spec.type);
        const order = new Map(toxics.map((t, i) => [t.name, i]));
        // Reordered toxics would pass held bytes out of order: start them afresh (Toxiproxy only ever appends).
        const reordered = kept.some((r, i) => i > 0 && order.get(r.spec.name) < order.get(kept[i - 1].spec.name));
        for (const r of this.records) {
            const spec = wanted.get(r.spec.name);
            if (!spec || spec.type !== r.spec.type)
                this.drop(r);
            else if (!sameSpec(r.spec, spec))
                this.change(r, spec);
            else if (reordered)
                r.stage?.restart();
        }
        const byName = new Map(kept.map((r) => [r.spec.name, r]));
        const before = new Set(this.records.map((r) => r.stage));
        this.records = toxics.map((spec) => byName.get(spec.name) ?? this.fresh(spec));
        this.relink(before);
    }
    /** The connection is gone: every toxic stops, none forwards again. */
    dispose() {
        for (const r of this.records)
            this.drop(r, false);
        this.records = [];
    }
    onData(chunk) {
        if (this.inputEnded)
            return;
        this.host.bytes.received += chunk.length;
        this.head.write(chunk);
        if (!this.paused && this.mustWait()) {
            this.paused = true;
            this.source.pause();
        }
    }
    mustWait() {
        if (this.sink.blocked)
            return true;
        let held = 0;
        for (const r of this.records)
            if (r.stage)
                held += r.stage.run.held();
        return held >= LINK_HIGH_WATER;
    }
    resumeIfRoom() {
        if (!this.started || !this.paused || this.inputEnded || this.mustWait())
            return;
        this.paused = false;
        this.source.resume();
    }
    roll(spec) {
        return this.host.random() < spec.toxicity ? new Stage(spec, this.sink, this.stageHost) : undefined;
    }
    fresh(spec) {
        const r = { spec, stage: undefined, counted: false };
        this.activate(r, this.roll(spec));
        return r;
    }
    activate(r, stage) {
        r.stage = stage;
        if (!stage)
            return;
        if (!r.counted)
            this.host.applied(r.spec.name);
        r.counted = true;
    }
    change(r, spec) {
        r.spec = spec;
        const applies = this.host.random() < spec.toxicity;
        if (applies && r.stage)
            r.stage.update(spec);
        else if (applies)
            this.activate(r, new Stage(spec, this.sink, this.stageHost));
        else if (r.stage)
            this.drop(r);
    }
    drop(r, release = true) {
        const stage = r.stage;
        if (!stage)
            return;
        r.stage = undefined;
        if (release)
            stage.retire();
        else
            stage.dispose();
        this.host.left(r.spec.name);
    }
    /** Chains the stages in order; a stage new to the chain whose predecessor has already ended gets the end too. */
    relink(before) {
        let next = this.sink;
        for (let i = this.records.length - 1; i >= 0; i--) {
            const stage = this.records[i].stage;
            if (!stage)
                continue;
            stage.next = next;
            next = stage;
        }
        this.head = next;
        let ended = this.inputEnded;
        for (const r of this.records) {
            if (!r.stage)
                continue;
            if (ended && !before.has(r.stage))
                r.stage.end();
            ended = r.stage.outputEnded;
        }
        this.resumeIfRoom();
    }
}
const sameSpec = (a, b) => a.toxicity === b.toxicity && Object.keys(b.attributes).length === Object.keys(a.attributes).length && Object.entries(b.attributes).every(([k, v]) => a.attributes[k] === v);
//# sourceMappingURL=link.js.map