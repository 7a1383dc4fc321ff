import type { Experiment } from './experiment/load-experiment.js';
import type { Provider } from './experiment/provider-schema.js';
import type { MetricPoint } from './journal.js';
import { increases, scrapeProxies, windowStats } from './mesh-metrics.js';
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
  readonly onSample: (destination: string, point: MetricPoint) => void;
  /** Called once per proxy that stops answering; sampling goes on with the others. */
  readonly onError: (message: string) => void;
}

const round = (n: number | null, digits = 3) => (n === null ? null : Math.round(n * 10 ** digits) / 10 ** digits);

/**
 * Samples the mesh's own metrics every `everyMs` while a run goes on: request
 * rate, error ratio and p50/p99 latency per destination, from the change in
 * every listed proxy's counters since the last sample. Reports chart them.
 */
export class MeshSampler {
  private readonly stopper = new AbortController();
  private loop: Promise<void> | undefined;
  private readonly failing = new Set<string>();

  constructor(private readonly options: SamplerOptions) {}

  start(): void {
    if (this.options.admins.length === 0) return;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopper.abort();
    await this.loop;
  }

  private async scrapeAll(): Promise<Sample[][]> {
    const settled = await scrapeProxies(this.options.admins, this.stopper.signal);
    return settled.map((r, i) => {
      if (r.status === 'fulfilled') return r.value;
      const admin = this.options.admins[i]!;
      if (!this.failing.has(admin) && !this.stopper.signal.aborted) this.options.onError(`metrics of ${admin} unavailable: ${(r.reason as Error).message}`);
      this.failing.add(admin);
      return [];
    });
  }

  private async run(): Promise<void> {
    let before = await this.scrapeAll();
    let at = performance.now();
    while (await sleep(this.options.everyMs, this.stopper.signal)) {
      const after = await this.scrapeAll();
      const now = performance.now();
      const seconds = (now - at) / 1000;
      const { destinations } = this.options;
      const names = destinations === 'all' ? new Set(after.flat().map((s) => s.labels.destination ?? '')) : destinations;
      const t = new Date(this.options.now()).toISOString();
      for (const destination of names) {
        if (!destination || destination === 'unknown') continue;
        const stats = windowStats(increases(this.options.admins, before, after, (s) => s.labels.destination === destination), seconds);
        if (destinations === 'all' && stats.requests === 0) continue;
        this.options.onSample(destination, { t, rate: round(stats.rate, 2)!, errorRatio: round(stats.errorRatio, 4), p50Ms: round(stats.p50Ms), p99Ms: round(stats.p99Ms) });
      }
      before = after;
      at = now;
    }
  }
}
