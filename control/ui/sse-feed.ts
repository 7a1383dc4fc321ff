import type { Response } from 'express';
import type { Timers } from '../../proxy/core/timers.js';
import { sseEvent } from '../push/snapshot.js';
import type { DashboardState, MetricsFrame } from './dashboard-model.js';
import { EdgeWindow } from './edge-window.js';
import { scrapeAll, type ScrapeTarget } from './metrics-scraper.js';

/** Where a feed gets what it sends: a control plane's state, or one proxy's. */
export interface FeedSource {
  build(): Promise<DashboardState>;
  /** Calls `listener` at once on a change the page must show without waiting for the next tick (a new version); returns the unsubscribe. */
  watch(listener: () => void): () => void;
  /** Whose /metrics make the edges. */
  targets(): Promise<readonly ScrapeTarget[]>;
}

export interface FeedOptions {
  readonly timers: Timers;
  /** How often the state is rebuilt for what no event announces (proxies' reports, lease countdowns on the server): 1 s. */
  readonly tickMs?: number;
  /** How often the proxies' /metrics are read while a page is open: 2 s. */
  readonly scrapeMs?: number;
  readonly pingMs?: number;
  readonly windowMs?: number;
}

interface Page {
  readonly res: Response;
  blocked: boolean;
  /** While the socket is backed up, only the newest of each event waits: each one is whole. */
  readonly pending: Map<string, string>;
}

/**
 * The one server-sent-event stream of the dashboard: `state` whenever it
 * differs from the last one sent (at once on a new version, else checked
 * every tick), `metrics` after every scrape, `: ping` to keep idle
 * connections up. Nothing runs while no page is open: no rebuild, no scrape.
 */
/** How soon after a fresh window's first scrape the second one runs. */
const FIRST_RATE_MS = 1000;

export class DashboardFeed {
  private readonly pages = new Set<Page>();
  private readonly window: EdgeWindow;
  private unwatch: (() => void) | undefined;
  private tickTimer: unknown;
  private scrapeTimer: unknown;
  private pingTimer: unknown;
  /** Moves at every start: a scrape still out from before a stop does not start a second chain. */
  private generation = 0;
  private building = false;
  private dirty = false;
  private lastState: string | undefined;
  private lastStateKey: string | undefined;
  private lastMetrics: string | undefined;
  private readonly tickMs: number;
  private readonly scrapeMs: number;
  private readonly pingMs: number;

  constructor(
    private readonly source: FeedSource,
    private readonly options: FeedOptions,
  ) {
    this.tickMs = options.tickMs ?? 1000;
    this.scrapeMs = options.scrapeMs ?? 2000;
    this.pingMs = options.pingMs ?? 15_000;
    this.window = new EdgeWindow(options.windowMs ?? 60_000);
  }

  get size(): number {
    return this.pages.size;
  }

  /** Takes over `res` as a page's stream until either side closes it. */
  attach(res: Response): void {
    res.status(200).set({ 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', 'x-accel-buffering': 'no' });
    res.flushHeaders();
    res.socket?.setNoDelay(true);
    const page: Page = { res, blocked: false, pending: new Map() };
    this.pages.add(page);
    res.on('close', () => {
      this.pages.delete(page);
      if (this.pages.size === 0) this.stop();
    });
    // EventSource reconnects after this long when the stream breaks (a control plane restarting).
    this.write(page, 'retry', 'retry: 1000\n\n');
    if (this.lastState) this.write(page, 'state', this.lastState);
    if (this.lastMetrics) this.write(page, 'metrics', this.lastMetrics);
    if (this.pages.size === 1) this.start();
    else this.requestBuild();
  }

  /** Ends every page's stream (the server is closing). */
  close(): void {
    for (const p of [...this.pages]) p.res.end();
    this.pages.clear();
    this.stop();
  }

  private start(): void {
    const t = this.options.timers;
    this.unwatch = this.source.watch(() => this.requestBuild());
    const tick = () => {
      this.requestBuild();
      this.tickTimer = t.setTimeout(tick, this.tickMs);
    };
    const ping = () => {
      for (const p of this.pages) this.write(p, 'ping', ': ping\n\n');
      this.pingTimer = t.setTimeout(ping, this.pingMs);
    };
    tick();
    this.pingTimer = t.setTimeout(ping, this.pingMs);
    void this.scrape(++this.generation);
  }

  private stop(): void {
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
  private requestBuild(): void {
    if (this.building) {
      this.dirty = true;
      return;
    }
    this.building = true;
    this.source
      .build()
      .then(
        (state) => {
          if (this.pages.size === 0) return;
          // `now` moves every build; the page counts down from it, and an otherwise equal state is not sent again.
          const key = JSON.stringify({ ...state, now: 0 });
          if (key === this.lastStateKey) return;
          this.lastStateKey = key;
          this.lastState = sseEvent('state', state);
          for (const p of this.pages) this.write(p, 'state', this.lastState);
        },
        (err: unknown) => {
          const event = sseEvent('trouble', { message: `the dashboard state could not be built: ${(err as Error).message}` });
          for (const p of this.pages) this.write(p, 'trouble', event);
        },
      )
      .finally(() => {
        this.building = false;
        if (this.dirty && this.pages.size > 0) {
          this.dirty = false;
          this.requestBuild();
        }
      });
  }

  private async scrape(generation: number): Promise<void> {
    const current = () => generation === this.generation && this.pages.size > 0;
    if (!current()) return;
    try {
      const { samples, errors } = await scrapeAll(await this.source.targets());
      if (!current()) return;
      const at = this.options.timers.now();
      this.window.record(at, samples);
      const frame: MetricsFrame = { at, windowMs: this.options.windowMs ?? 60_000, measuring: this.window.scrapes < 2, edges: this.window.edges(), series: this.window.series(), errors };
      this.lastMetrics = sseEvent('metrics', frame);
      for (const p of this.pages) this.write(p, 'metrics', this.lastMetrics);
    } catch (err) {
      const event = sseEvent('trouble', { message: `the proxies' metrics could not be read: ${(err as Error).message}` });
      for (const p of this.pages) this.write(p, 'trouble', event);
    } finally {
      // The second scrape of a fresh window comes sooner: a page just opened gets rates after one second, not a whole period.
      const next = this.window.scrapes === 1 ? Math.min(FIRST_RATE_MS, this.scrapeMs) : this.scrapeMs;
      if (current()) this.scrapeTimer = this.options.timers.setTimeout(() => void this.scrape(generation), next);
    }
  }

  private write(p: Page, kind: string, text: string): void {
    if (p.blocked) {
      p.pending.set(kind, text);
      return;
    }
    if (p.res.write(text)) return;
    p.blocked = true;
    p.res.once('drain', () => {
      p.blocked = false;
      const waiting = [...p.pending.entries()];
      p.pending.clear();
      for (const [k, t] of waiting) this.write(p, k, t);
    });
  }
}
