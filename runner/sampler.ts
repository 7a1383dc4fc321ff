import type { Experiment } from './experiment/load-experiment.js';
import type { Provider } from './experiment/provider-schema.js';
import type { EjectionMark, Journal, MetricPoint, ProxyName } from './journal.js';
import { activityOf, ejectionsIn, SAMPLED_FAMILIES } from './mesh-activity.js';
import { increases, scrapeProxies, windowStats } from './mesh-metrics.js';
import { mergeNames, nameAdmins, type Places } from './mesh-names.js';
import type { Sample } from './providers/prom-text.js';
import { sleep } from './sleep.js';

/** The proxies an experiment talks to, and the destinations it aims at; `all` when a fault targets "*". */
export function touchedBy(exp: Experiment): { admins: string[]; destinations: Set<string> | 'all' } {
  const admins = new Set<string>();
  let destinations: Set<string> | 'all' = new Set();
  const activities = [...(exp.hypothesis?.probes ?? []), ...exp.safeguards, ...exp.method, ...exp.rollbacks];
  for (const { provider } of activities) {
    const p = provider as Provider;
    const add = (d: string) => {
      if (d === '*') destinations = 'all';
      else if (destinations !== 'all') destinations.add(d);
    };
    if (p.type === 'fault') {
      p.admin.forEach((a) => admins.add(a));
      add(p.rule.target);
    } else if (p.type === 'metric') {
      p.admin.forEach((a) => admins.add(a));
      add(p.destination);
    } else if (p.type === 'load') add(p.target);
  }
  return { admins: [...admins], destinations };
}

export interface SamplerOptions {
  readonly admins: readonly string[];
  readonly destinations: ReadonlySet<string> | 'all';
  readonly everyMs: number;
  readonly now: () => number;
  /** Sent with the reads that name the proxies; none is needed for reads. */
  readonly token?: string | undefined;
  readonly onSample: (destination: string, point: MetricPoint) => void;
  readonly onEjection?: (mark: EjectionMark) => void;
  /** Who each admin is and where each instance sits: once at the start, once more at the end. */
  readonly onNames?: (named: { names: ProxyName[]; places: Places }) => void;
  /** Called once per proxy that stops answering; sampling goes on with the others. */
  readonly onError: (message: string) => void;
  /** Called once the first scrape is in: what the proxies count from then on is sampled. */
  readonly onBaseline?: () => void;
}

const round = (n: number | null, digits = 3) => (n === null ? null : Math.round(n * 10 ** digits) / 10 ** digits);
/** The last scrape and naming, made after the run asked to stop, wait at most this long for a proxy that does not answer. */
const LAST_READ_MS = 3000;

type Scrape = ReadonlyArray<Sample[] | undefined>;

/** The proxies a control plane's merged series came from (their `proxy` label). */
const proxiesIn = (samples: readonly Sample[]) => new Set(samples.map((s) => s.labels.proxy).filter(Boolean));

/**
 * The counter increases between two scrapes, tagged with their admin. An
 * admin that failed either scrape is left out of the interval, and so is a
 * proxy a control plane left out of the first one: counted from zero, its
 * whole history would land in one interval as a spike.
 */
function changedBetween(admins: readonly string[], before: Scrape, after: Scrape): Array<Sample & { admin: string }> {
  return admins.flatMap((admin, i) => {
    const b = before[i];
    const a = after[i];
    if (!b || !a) return [];
    const seen = proxiesIn(b);
    const comparable = a.filter((s) => s.labels.proxy === undefined || seen.has(s.labels.proxy));
    return increases([admin], [b], [comparable], () => true).map((s) => ({ ...s, admin }));
  });
}

/**
 * Samples the mesh's own metrics every `everyMs` while a run goes on: per
 * destination, request rate, error ratio and p50/p99 latency, and what the
 * mesh did (retries by reason, attempts faulted, calls per instance), from
 * the change in every listed proxy's counters since the last sample; and
 * each outlier ejection as it is counted. The interval cut short by `stop`
 * is sampled too, so the charts cover the whole run, as its probes do.
 */
export class MeshSampler {
  private readonly sleeper = new AbortController();
  private loop: Promise<void> | undefined;
  private readonly failing = new Set<string>();

  constructor(private readonly options: SamplerOptions) {}

  start(): void {
    if (this.options.admins.length === 0) return;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.sleeper.abort();
    await this.loop;
  }

  private async scrapeAll(signal?: AbortSignal): Promise<Scrape> {
    const settled = await scrapeProxies(this.options.admins, signal, SAMPLED_FAMILIES);
    return settled.map((r, i) => {
      if (r.status === 'fulfilled') return r.value;
      const admin = this.options.admins[i]!;
      if (!this.failing.has(admin)) this.options.onError(`metrics of ${admin} unavailable: ${(r.reason as Error).message}`);
      this.failing.add(admin);
      return undefined;
    });
  }

  private async name(): Promise<{ names: ProxyName[]; places: Places } | undefined> {
    try {
      return await nameAdmins(this.options.admins, this.options.token);
    } catch {
      return undefined; // Names are a courtesy: the URLs stay in the journal whatever happens.
    }
  }

  private async run(): Promise<void> {
    const first = this.name().then((named) => {
      if (named) this.options.onNames?.(named);
      return named;
    });
    let before = await this.scrapeAll();
    this.options.onBaseline?.();
    let at = performance.now();
    let from = new Date(this.options.now()).toISOString();
    for (;;) {
      const going = await sleep(this.options.everyMs, this.sleeper.signal);
      const after = await this.scrapeAll(going ? undefined : AbortSignal.timeout(LAST_READ_MS));
      const now = performance.now();
      const t = new Date(this.options.now()).toISOString();
      // However short the interval a stop cuts, its calls are counted: a probe's last window ends there too.
      if (going || now - at >= 1) this.emit(before, after, (now - at) / 1000, from, t);
      before = after;
      at = now;
      from = t;
      if (!going) break;
    }
    const start = await first;
    const bound = new AbortController();
    const end = await Promise.race([this.name(), sleep(LAST_READ_MS, bound.signal).then(() => undefined)]);
    bound.abort(); // the bound's timer must not keep the process alive once the names are in
    const named = start && end ? mergeNames(start, end) : (start ?? end);
    if (named) this.options.onNames?.(named);
  }

  private emit(before: Scrape, after: Scrape, seconds: number, from: string, t: string): void {
    const changed = changedBetween(this.options.admins, before, after);
    const { destinations } = this.options;
    const names = destinations === 'all' ? new Set(changed.map((s) => s.labels.destination ?? '')) : destinations;
    for (const destination of names) {
      if (!destination || destination === 'unknown') continue;
      const mine = changed.filter((s) => s.labels.destination === destination);
      const stats = windowStats(mine, seconds);
      const activity = activityOf(mine);
      if (destinations === 'all' && stats.requests === 0 && Object.keys(activity.faulted).length === 0) continue;
      this.options.onSample(destination, { t, from, rate: round(stats.rate, 2)!, errorRatio: round(stats.errorRatio, 4), p50Ms: round(stats.p50Ms), p99Ms: round(stats.p99Ms), activity });
    }
    for (const e of ejectionsIn(changed)) {
      if (destinations !== 'all' && !destinations.has(e.destination)) continue;
      for (let n = 0; n < Math.min(e.count, 10); n++) this.options.onEjection?.({ at: t, from, destination: e.destination, instance: e.instance, reason: e.reason, by: e.by });
    }
  }
}

/**
 * The sampler of one run, writing into its journal: the points, the
 * ejections and the proxies' names, each saved as it comes.
 */
export function journalSampler(journal: Journal, o: { readonly touched: ReturnType<typeof touchedBy>; readonly everyMs: number; readonly now: () => number; readonly token?: string | undefined; readonly save: () => void }): MeshSampler {
  const ts: Journal['timeseries'] = { intervalMs: o.everyMs, admins: o.touched.admins, destinations: {}, ejections: [] };
  journal.timeseries = ts;
  return new MeshSampler({
    ...o.touched,
    everyMs: o.everyMs,
    now: o.now,
    token: o.token,
    onSample: (destination, point) => {
      (ts.destinations[destination] ??= []).push(point);
      o.save();
    },
    onEjection: (mark) => ts.ejections!.push(mark),
    onNames: ({ names, places }) => {
      ts.names = names;
      ts.places = places;
    },
    onError: (message) => journal.errors.push({ phase: 'sampling', message }),
  });
}
