import cluster, { type Worker } from 'node:cluster';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RuleCounters } from '../faults/compiled-rule.js';
import { Asks } from './asks.js';
import { CrashGuard } from './crash-guard.js';
import { RuleTally } from './rule-tally.js';
import type { Identity } from '../identity/identity-holder.js';
import { isFromWorker, type ClusterState, type Ejection, type FromWorker, type ToWorker, type WorkerSettings } from './messages.js';

// Beside this file, with its extension: .ts under tsx, .js once built.
const WORKER_ENTRY = fileURLToPath(new URL(`./worker-main${extname(fileURLToPath(import.meta.url))}`, import.meta.url));

/** One place in the pool: worker `index`, replaced under the same index when it dies. */
export interface Slot {
  readonly index: number;
  worker: Worker;
  /** Sent its `start`: from then on it must apply every version. */
  started: boolean;
  /** The port it was told to listen on (0 for the first workers of a --listen HOST:0). */
  port: number;
  listening: boolean;
  applied: number;
  inFlight: number;
  counts: Readonly<Record<string, Readonly<RuleCounters>>>;
}

export interface PoolOptions {
  readonly count: number;
  readonly settings: WorkerSettings;
  /** The state, live ejections and identity (when the proxy has one) a worker joining now starts from. */
  readonly join: () => { readonly state: ClusterState; readonly ejections: readonly Ejection[]; readonly identity?: Identity | undefined };
  readonly onEjected: (from: Slot, ejection: Ejection) => void;
  readonly log: (line: string) => void;
  /** Workers crash in a loop: called once, and the pool replaces none any more. */
  readonly onGiveUp: (reason: string) => void;
}

/** A worker that did not apply a version in time, for the 503 that names it. */
export interface Lagging {
  readonly index: number;
  readonly pid: number | undefined;
}

/**
 * The primary's workers: forks them, feeds them, waits on them, replaces
 * the ones that die. Talks to each over its IPC channel only.
 */
export class WorkerPool {
  private readonly slots: Slot[] = [];
  private readonly asks = new Asks<Slot>();
  private readonly crashes = new CrashGuard();
  private readonly waits = new Set<{ version: number; done: (lagging: Lagging[]) => void }>();
  private readonly tally = new RuleTally();
  private readonly drained: Array<{ drained: boolean; cut: number }> = [];
  private readonly settings: WorkerSettings;
  /** The port the workers share, once the first one listens. */
  private port: number | undefined;
  private stopping = false;
  private startup: { resolve: (at: { host: string; port: number }) => void; reject: (err: Error) => void } | undefined;

  constructor(private readonly options: PoolOptions) {
    this.settings = options.settings;
    // SCHED_RR (the primary accepts and hands connections out in turn), from
    // a measurement on the 2-core dev machine, shared with other load:
    // autocannon -c 50 -d 5 (wrk is not installed) through two workers to
    // one upstream, access log on, 8 alternating pairs: RR ahead in 6, medians
    // about 7,400 req/s for RR and 6,700 for SCHED_NONE, within the noise of
    // a busy machine. What decides it is the spread: with SCHED_NONE the
    // kernel gave one worker up to 3x the other's connections (a keep-alive
    // connection stays where it landed, so that skew lasts), with RR they
    // were within 10%. RR's cost is an IPC hop per new connection, not per
    // request. NODE_CLUSTER_SCHED_POLICY=none still picks the other, to measure again.
    if (!process.env.NODE_CLUSTER_SCHED_POLICY) cluster.schedulingPolicy = cluster.SCHED_RR;
    // Structured clone: the primary's parsed specs and meshes arrive whole (undefined, Infinity).
    cluster.setupPrimary({ exec: WORKER_ENTRY, serialization: 'advanced' });
  }

  /** Forks every worker; resolves with the address they share once all listen, rejects if one cannot start. */
  start(): Promise<{ host: string; port: number }> {
    return new Promise((resolve, reject) => {
      this.startup = { resolve, reject };
      for (let index = 0; index < this.options.count; index++) this.slots.push(this.fork(index));
    });
  }

  /** Sends to every started worker (but `except`, the one an ejection came from). */
  broadcast(m: ToWorker, except?: Slot): void {
    for (const s of this.slots) if (s.started && s !== except) this.send(s, m);
  }

  /** Resolves once every started worker applied `version`, or after `ms` with the ones that did not. */
  waitApplied(version: number, ms: number): Promise<Lagging[]> {
    return new Promise((resolve) => {
      const wait = {
        version,
        done: (lagging: Lagging[]) => {
          clearTimeout(timer);
          this.waits.delete(wait);
          resolve(lagging);
        },
      };
      const timer = setTimeout(() => wait.done(this.lagging(version)), ms);
      this.waits.add(wait);
      this.checkWaits();
    });
  }

  /** Asks every listening worker for its rule counts and requests in flight; bounded by `ms`. */
  async collect(ms: number): Promise<void> {
    await this.asks.ask(this.listening(), ms, (s, id) => this.send(s, { type: 'collect', id }));
  }

  /** Every listening worker's registry as JSON, by pid (those that answer within `ms`), and the pids of the workers alive now. */
  async metrics(ms: number): Promise<{ answered: Map<number, unknown[]>; live: Set<number> }> {
    const replies = await this.asks.ask(this.listening(), ms, (s, id) => this.send(s, { type: 'metrics', id }));
    const answered = new Map<number, unknown[]>();
    for (const [s, r] of replies) answered.set(s.worker.process.pid ?? -1, (r as Extract<FromWorker, { type: 'metrics' }>).metrics as unknown[]);
    const live = new Set<number>();
    for (const s of this.slots) if (!s.worker.isDead() && s.worker.process.pid !== undefined) live.add(s.worker.process.pid);
    return { answered, live };
  }

  /** Each rule's counts summed over the workers, live and dead (rule-tally.ts); forgets dead workers' counts of rules not in `live`. */
  ruleCounts(live: ReadonlySet<string>): Map<string, RuleCounters> {
    this.tally.retain(live);
    return this.tally.sum(this.slots.map((s) => s.counts));
  }

  inFlight(): number {
    return this.slots.reduce((n, s) => n + (s.listening ? s.inFlight : 0), 0);
  }

  /** For /healthz. */
  describe(version: number) {
    return {
      count: this.options.count,
      listening: this.slots.filter((s) => s.listening).length,
      version,
      list: this.slots.map((s) => ({ index: s.index, pid: s.worker.process.pid ?? null, listening: s.listening, appliedVersion: s.applied })),
    };
  }

  /** Tells every worker to drain for up to `drainMs` and waits for them all to exit (killing the ones that overstay). */
  async shutdown(drainMs: number): Promise<{ drained: boolean; cut: number }> {
    this.stopping = true;
    const alive = this.slots.map((s) => s.worker).filter((w) => !w.isDead());
    const exited = Promise.all(alive.map((w) => new Promise((resolve) => (w.isDead() ? resolve(undefined) : w.once('exit', resolve)))));
    for (const w of alive) if (w.isConnected()) w.send({ type: 'shutdown', drainMs } satisfies ToWorker);
    else w.process.kill('SIGKILL');
    const overstay = setTimeout(() => alive.forEach((w) => w.process.kill('SIGKILL')), drainMs + 5_000);
    await exited;
    clearTimeout(overstay);
    const cut = this.drained.reduce((n, d) => n + d.cut, 0);
    return { drained: this.drained.length === alive.length && this.drained.every((d) => d.drained), cut };
  }

  private fork(index: number, slot?: Slot): Slot {
    const worker = cluster.fork();
    const s: Slot = slot ?? { index, worker, started: false, port: 0, listening: false, applied: -1, inFlight: 0, counts: {} };
    Object.assign(s, { worker, started: false, listening: false, applied: -1, inFlight: 0, counts: {} });
    worker.on('message', (m: unknown) => {
      if (s.worker === worker && isFromWorker(m)) this.onMessage(s, m);
    });
    worker.on('exit', (code: number | null, signal: NodeJS.Signals | null) => {
      if (s.worker === worker) this.onExit(s, code, signal);
    });
    // An error on the channel (the worker died mid-send) is followed by its exit, handled there.
    worker.on('error', () => {});
    return s;
  }

  private onMessage(s: Slot, m: FromWorker): void {
    switch (m.type) {
      case 'hello': {
        const { state, ejections, identity } = this.options.join();
        s.started = true;
        s.port = this.portFor(s);
        const settings = { ...this.settings, listen: { host: this.settings.listen.host, port: s.port } };
        this.send(s, { type: 'start', index: s.index, settings, state, ejections, identity });
        return;
      }
      case 'listening':
        s.listening = true;
        s.applied = Math.max(s.applied, m.version);
        this.onListening(m);
        return this.checkWaits();
      case 'applied':
        s.applied = Math.max(s.applied, m.version);
        return this.checkWaits();
      case 'failed':
        if (this.startup) this.failStartup(Object.assign(new Error(`worker ${s.index}: ${m.message}`), { code: m.code }));
        return;
      case 'ejected':
        return this.options.onEjected(s, m.ejection);
      case 'collected':
        s.inFlight = m.inFlight;
        s.counts = m.counts;
        return this.asks.answer(m.id, s, m);
      case 'metrics':
        return this.asks.answer(m.id, s, m);
      case 'drained':
        this.drained.push({ drained: m.drained, cut: m.cut });
        return;
    }
  }

  /**
   * Cluster shares one listening handle per host and port asked for: every
   * worker asking for HOST:0 gets the same port, picked once. So a worker
   * asks for what its live siblings asked for (HOST:0 while one of those
   * lives, keeping the handle open), and for the port picked once none is
   * left to share the handle with (the primary closed it).
   */
  private portFor(s: Slot): number {
    const asked = this.settings.listen.port;
    if (asked !== 0 || this.port === undefined) return asked;
    return this.slots.some((o) => o !== s && o.started && o.port === 0 && !o.worker.isDead()) ? 0 : this.port;
  }

  private onListening(m: { host: string; port: number }): void {
    this.port ??= m.port;
    if (m.port !== this.port) this.options.log(`a worker listens on port ${m.port}, not ${this.port}`);
    if (this.startup && this.slots.length === this.options.count && this.slots.every((s) => s.listening)) {
      this.startup.resolve({ host: m.host, port: this.port });
      this.startup = undefined;
    }
  }

  private onExit(s: Slot, code: number | null, signal: NodeJS.Signals | null): void {
    this.tally.retire(s.counts);
    Object.assign(s, { started: false, listening: false, inFlight: 0, counts: {} });
    this.asks.forget(s);
    this.checkWaits();
    if (this.stopping) return;
    const pid = s.worker.process.pid;
    const how = signal ? `signal ${signal}` : `code ${code}`;
    if (this.startup) return this.failStartup(new Error(`worker ${s.index} (pid ${pid}) exited with ${how} before it listened`));
    const verdict = this.crashes.record(Date.now());
    if (verdict.kind === 'give-up') {
      this.stopping = true;
      return this.options.onGiveUp(`worker ${s.index} (pid ${pid}) exited with ${how}: ${verdict.reason}; not replacing it`);
    }
    this.options.log(`worker ${s.index} (pid ${pid}) exited with ${how}; starting a replacement${verdict.delayMs ? ` in ${verdict.delayMs}ms` : ''}`);
    setTimeout(() => {
      if (!this.stopping) this.fork(s.index, s);
    }, verdict.delayMs).unref();
  }

  private failStartup(err: Error): void {
    const startup = this.startup;
    this.startup = undefined;
    void this.shutdown(0).then(() => startup?.reject(err));
  }

  private listening(): Slot[] {
    return this.slots.filter((s) => s.listening);
  }

  private lagging(version: number): Lagging[] {
    return this.slots.filter((s) => s.started && s.applied < version).map((s) => ({ index: s.index, pid: s.worker.process.pid }));
  }

  private checkWaits(): void {
    for (const w of this.waits) if (this.lagging(w.version).length === 0) w.done([]);
  }

  private send(s: Slot, m: ToWorker): void {
    // A worker that just died is no longer connected; its exit handles the rest.
    if (s.worker.isConnected()) s.worker.send(m, undefined, () => {});
  }
}
