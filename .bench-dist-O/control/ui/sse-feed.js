import { sseEvent } from '../push/snapshot.js';
import { EdgeWindow } from './edge-window.js';
import { scrapeAll } from './metrics-scraper.js';
/**
 * The one server-sent-event stream of the dashboard: `state` whenever it
 * differs from the last one sent (at once on a new version, else checked
 * every tick), `metrics` after every scrape, `: ping` to keep idle
 * connections up. Nothing runs while no page is open: no rebuild, no scrape.
 */
export class DashboardFeed {
    source;
    options;
    pages = new Set();
    window;
    unwatch;
    tickTimer;
    scrapeTimer;
    pingTimer;
    /** Moves at every start: a scrape still out from before a stop does not start a second chain. */
    generation = 0;
    building = false;
    dirty = false;
    lastState;
    lastStateKey;
    lastMetrics;
    tickMs;
    scrapeMs;
    pingMs;
    constructor(source, options) {
        this.source = source;
        this.options = options;
        this.tickMs = options.tickMs ?? 1000;
        this.scrapeMs = options.scrapeMs ?? 2000;
        this.pingMs = options.pingMs ?? 15_000;
        this.window = new EdgeWindow(options.windowMs ?? 60_000);
    }
    get size() {
        return this.pages.size;
    }
    /** Takes over `res` as a page's stream until either side closes it. */
    attach(res) {
        res.status(200).set({ 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', 'x-accel-buffering': 'no' });
        res.flushHeaders();
        res.socket?.setNoDelay(true);
        const page = { res, blocked: false, pending: new Map() };
        this.pages.add(page);
        res.on('close', () => {
            this.pages.delete(page);
            if (this.pages.size === 0)
                this.stop();
        });
        // EventSource reconnects after this long when the stream breaks (a control plane restarting).
        this.write(page, 'retry', 'retry: 1000\n\n');
        if (this.lastState)
            this.write(page, 'state', this.lastState);
        if (this.lastMetrics)
            this.write(page, 'metrics', this.lastMetrics);
        if (this.pages.size === 1)
            this.start();
        else
            this.requestBuild();
    }
    /** Ends every page's stream (the server is closing). */
    close() {
        for (const p of [...this.pages])
            p.res.end();
        this.pages.clear();
        this.stop();
    }
    start() {
        const t = this.options.timers;
        this.unwatch = this.source.watch(() => this.requestBuild());
        const tick = () => {
            this.requestBuild();
            this.tickTimer = t.setTimeout(tick, this.tickMs);
        };
        const ping = () => {
            for (const p of this.pages)
                this.write(p, 'ping', ': ping\n\n');
            this.pingTimer = t.setTimeout(ping, this.pingMs);
        };
        tick();
        this.pingTimer = t.setTimeout(ping, this.pingMs);
        void this.scrape(++this.generation);
    }
    stop() {
        const t = this.options.timers;
        this.unwatch?.();
        this.unwatch = undefined;
        t.clearTimeout(this.tickTimer);
        t.clearTimeout(this.scrapeTimer);
        t.clearTimeout(this.pingTimer);
        this.tickTimer = this.scrapeTimer = this.pingTimer = undefined;
        // Rates across a gap with no page open would be wrong: the next page starts a fresh window.
        this.window.clear();
        this.lastState = this.lastStateKey = this.lastMetrics = undefined;
    }
    /** One build at a time; a change during a build gets one more, so a burst costs two builds. */
    requestBuild() {
        if (this.building) {
            this.dirty = true;
            return;
        }
        this.building = true;
        this.source
            .build()
            .then((state) => {
            if (this.pages.size === 0)
                return;
            // `now` moves every build; the page counts down from it, and an otherwise equal state is not sent again.
            const key = JSON.stringify({ ...state, now: 0 });
            if (key === this.lastStateKey)
                return;
            this.lastStateKey = key;
            this.lastState = sseEvent('state', state);
            for (const p of this.pages)
                this.write(p, 'state', this.lastState);
        }, (err) => {
            const event = sseEvent('trouble', { message: `the dashboard state could not be built: ${err.message}` });
            for (const p of this.pages)
                this.write(p, 'trouble', event);
        })
            .finally(() => {
            this.building = false;
            if (this.dirty && this.pages.size > 0) {
                this.dirty = false;
                this.requestBuild();
            }
        });
    }
    async scrape(generation) {
        const current = () => generation === this.generation && this.pages.size > 0;
        if (!current())
            return;
        try {
            const { samples, errors } = await scrapeAll(await this.source.targets());
            if (!current())
                return;
            const at = this.options.timers.now();
            this.window.record(at, samples);
            const frame = { at, windowMs: this.options.windowMs ?? 60_000, edges: this.window.edges(), series: this.window.series(), errors };
            this.lastMetrics = sseEvent('metrics', frame);
            for (const p of this.pages)
                this.write(p, 'metrics', this.lastMetrics);
        }
        catch (err) {
            const event = sseEvent('trouble', { message: `the proxies' metrics could not be read: ${err.message}` });
            for (const p of this.pages)
                this.write(p, 'trouble', event);
        }
        finally {
            if (current())
                this.scrapeTimer = this.options.timers.setTimeout(() => void this.scrape(generation), this.scrapeMs);
        }
    }
    write(p, kind, text) {
        if (p.blocked) {
            p.pending.set(kind, text);
            return;
        }
        if (p.res.write(text))
            return;
        p.blocked = true;
        p.res.once('drain', () => {
            p.blocked = false;
            const waiting = [...p.pending.entries()];
            p.pending.clear();
            for (const [k, t] of waiting)
                this.write(p, k, t);
        });
    }
}
//# sourceMappingURL=sse-feed.js.map