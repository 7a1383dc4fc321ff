import { bucketsFromCumulative, histogramQuantile } from '../../runner/canary/stats/quantile.js';
import { edgeKey, splitEdgeKey, type EdgeCounts, type EdgeSample } from './prom-text.js';

/** One edge over the last window, as the mesh map labels it. */
export interface EdgeStats {
  readonly source: string;
  readonly destination: string;
  /** Requests per second over the window; null while one scrape has seen the edge (its counters exist) and the next one has not come. */
  readonly rps: number | null;
  readonly requests: number;
  /** null without a request in the window. */
  readonly errorRatio: number | null;
  readonly p99Ms: number | null;
}

/** Calls into each destination between consecutive scrapes, for the charts; `t` in seconds, as uPlot takes it. */
export interface SeriesFrame {
  readonly t: number[];
  readonly destinations: Record<string, { rps: number[]; errorRatio: Array<number | null>; p99Ms: Array<number | null> }>;
}

interface Tick {
  readonly at: number;
  readonly samples: ReadonlyMap<string, EdgeSample>;
}

const empty = (): EdgeCounts => ({ total: 0, errors: 0, buckets: new Map() });

/**
 * What happened between two scrapes of one proxy. A counter that went down
 * is a restarted proxy: everything it has counted since is new. A series
 * missing from the earlier scrape started in between, so all of it is new.
 */
export function increments(prev: EdgeSample, cur: EdgeSample): EdgeSample {
  const out: EdgeSample = new Map();
  for (const [key, c] of cur) {
    const p = prev.get(key);
    if (!p || c.total < p.total) {
      out.set(key, c);
      continue;
    }
    const buckets = new Map<number, number>();
    for (const [le, n] of c.buckets) buckets.set(le, Math.max(0, n - (p.buckets.get(le) ?? 0)));
    out.set(key, { total: c.total - p.total, errors: Math.max(0, c.errors - p.errors), buckets });
  }
  return out;
}

function addInto(into: EdgeCounts, d: EdgeCounts): void {
  into.total += d.total;
  into.errors += d.errors;
  for (const [le, n] of d.buckets) into.buckets.set(le, (into.buckets.get(le) ?? 0) + n);
}

const ratio = (c: EdgeCounts) => (c.total > 0 ? c.errors / c.total : null);
/** In milliseconds to a tenth, read as histogram_quantile reads the buckets (the runner's and the canary's quantile too). */
const p99 = (c: EdgeCounts) => {
  const ms = histogramQuantile(bucketsFromCumulative(c.buckets, 1000), 0.99);
  return ms === null ? null : Math.round(ms * 10) / 10;
};

/**
 * The last minutes of every proxy's edge counters, scraped at the same
 * instants, and what they add up to: each edge's rate, error ratio and p99
 * over the last `windowMs`, and per destination a point per scrape.
 */
export class EdgeWindow {
  private ticks: Tick[] = [];

  constructor(
    private readonly windowMs = 60_000,
    /** How long the charts look back. */
    private readonly keepMs = 180_000,
  ) {}

  record(at: number, samples: ReadonlyMap<string, EdgeSample>): void {
    this.ticks.push({ at, samples });
    // One tick older than the charts' reach stays as the baseline of the first point.
    while (this.ticks.length > 2 && this.ticks[1]!.at < at - this.keepMs) this.ticks.shift();
  }

  /** Scrapes held: a rate needs two. */
  get scrapes(): number {
    return this.ticks.length;
  }

  clear(): void {
    this.ticks = [];
  }

  /** Each edge over the window ending at the newest scrape; edges with no request in it are left out. */
  edges(): EdgeStats[] {
    const newest = this.ticks[this.ticks.length - 1];
    if (!newest) return [];
    const from = newest.at - this.windowMs;
    let first = this.ticks.findIndex((t) => t.at >= from);
    // The scrape just before the window is its baseline, when there is one.
    if (first > 0) first--;
    const totals = new Map<string, EdgeCounts>();
    const rates = new Map<string, number>();
    /** Edges whose counters one scrape has seen and no second one has yet: they exist, their rate is not known. */
    const measuring = new Set<string>();
    for (const proxy of new Set(this.ticks.slice(first).flatMap((t) => [...t.samples.keys()]))) {
      let prev: Tick | undefined;
      let start: number | undefined;
      const sum = new Map<string, EdgeCounts>();
      for (const tick of this.ticks.slice(first)) {
        const cur = tick.samples.get(proxy);
        if (!cur) continue;
        if (prev) for (const [key, d] of increments(prev.samples.get(proxy)!, cur)) addInto(sum.get(key) ?? sum.set(key, empty()).get(key)!, d);
        else start = tick.at;
        prev = tick;
      }
      const span = prev && start !== undefined ? (prev.at - start) / 1000 : 0;
      if (prev && span === 0) for (const [key, c] of prev.samples.get(proxy)!) if (c.total > 0) measuring.add(key);
      for (const [key, c] of sum) {
        addInto(totals.get(key) ?? totals.set(key, empty()).get(key)!, c);
        if (span > 0) rates.set(key, (rates.get(key) ?? 0) + c.total / span);
      }
    }
    const out: EdgeStats[] = [];
    for (const [key, c] of totals) {
      if (c.total === 0) continue;
      out.push({ ...splitEdgeKey(key), rps: Math.round((rates.get(key) ?? 0) * 100) / 100, requests: c.total, errorRatio: ratio(c), p99Ms: p99(c) });
    }
    for (const key of measuring) if (!totals.get(key)?.total) out.push({ ...splitEdgeKey(key), rps: null, requests: 0, errorRatio: null, p99Ms: null });
    return out.sort((a, b) => a.source.localeCompare(b.source) || a.destination.localeCompare(b.destination));
  }

  /** Per destination, one point per scrape after the first: calls between it and the scrape before. */
  series(): SeriesFrame {
    const t: number[] = [];
    const perTick: Array<Map<string, { counts: EdgeCounts; rps: number }>> = [];
    const last = new Map<string, Tick>();
    for (const tick of this.ticks) {
      const byDestination = new Map<string, { counts: EdgeCounts; rps: number }>();
      let any = false;
      for (const [proxy, cur] of tick.samples) {
        const prev = last.get(proxy);
        last.set(proxy, tick);
        if (!prev) continue;
        any = true;
        const dt = (tick.at - prev.at) / 1000;
        for (const [key, d] of increments(prev.samples.get(proxy)!, cur)) {
          const { destination } = splitEdgeKey(key);
          const entry = byDestination.get(destination) ?? byDestination.set(destination, { counts: empty(), rps: 0 }).get(destination)!;
          addInto(entry.counts, d);
          if (dt > 0) entry.rps += d.total / dt;
        }
      }
      if (!any) continue;
      t.push(tick.at / 1000);
      perTick.push(byDestination);
    }
    const names = [...new Set(perTick.flatMap((m) => [...m.keys()]))].sort();
    const destinations: SeriesFrame['destinations'] = {};
    for (const name of names) {
      const points = perTick.map((m) => m.get(name));
      destinations[name] = {
        rps: points.map((p) => Math.round((p?.rps ?? 0) * 100) / 100),
        errorRatio: points.map((p) => (p ? ratio(p.counts) : null)),
        p99Ms: points.map((p) => (p ? p99(p.counts) : null)),
      };
    }
    return { t, destinations };
  }
}

export { edgeKey };
