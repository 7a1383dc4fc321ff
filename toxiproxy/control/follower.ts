import { backoffMs } from '../../proxy/sources/control/backoff.js';
import { realTimers, sleepOn, type Timers } from '../../proxy/core/timers.js';
import type { Random } from '../tcp/index.js';
import type { ControlAnswer, ToxiproxyControlApi } from './control-api.js';

/** How long one long poll waits for a change before the control plane answers the same set (it caps this at 30 s). */
export const POLL_WAIT_MS = 20_000;

export interface FollowerOptions {
  readonly api: ToxiproxyControlApi;
  /** Applies an answer of GET /v1/toxiproxy; `whole` after a reconnection. May throw (a set this server cannot read). */
  readonly apply: (answer: ControlAnswer, whole: boolean) => Promise<void>;
  /** The revision applied last, to wait for a newer one. */
  readonly revision: () => number;
  /** How many proxies are served, for the line that says the control plane was lost. */
  readonly served: () => number;
  readonly log: (line: string) => void;
  /** The back-off's clock. */
  readonly timers?: Timers | undefined;
  readonly random?: Random | undefined;
  readonly waitMs?: number | undefined;
}

/**
 * Keeps a toxiproxy process on the control plane's set: a long poll of
 * GET /v1/toxiproxy?after=REVISION, answered as soon as the set changes,
 * again and again. A lost control plane is said once (log, /metrics,
 * /healthz) and tried again with full-jitter back-off (100 ms doubling to
 * 5 s) across the URLs; meanwhile the process serves what it last knew, and
 * the first set after the return is applied whole.
 */
export class ControlFollower {
  private readonly closing = new AbortController();
  private readonly timers: Timers;
  private running: Promise<void> | undefined;
  private connectedAt: number | undefined;
  private lostAt: number | undefined;
  private lastError: string | undefined;

  constructor(private readonly options: FollowerOptions) {
    this.timers = options.timers ?? realTimers;
  }

  get connected(): boolean {
    return this.connectedAt !== undefined;
  }

  /** The first set, before the API listens: a control plane out of reach now is the caller's error (exit 1). */
  async first(): Promise<void> {
    await this.options.apply(await this.options.api.snapshot(), true);
    this.connectedAt = this.timers.now();
  }

  start(): void {
    this.running ??= this.run();
  }

  /** A call elsewhere (a read, a write) found the control plane out of reach: the poll notices too, this only says so sooner. */
  lost(reason: string): void {
    this.lastError = reason;
    if (this.connectedAt === undefined) return;
    this.connectedAt = undefined;
    this.lostAt = this.timers.now();
    this.options.log(`toxiproxy: lost the control plane: ${reason}; serving the ${this.options.served()} proxies last known (revision ${this.options.revision()}) until it is back`);
  }

  /** For /healthz and /metrics. */
  health() {
    return {
      url: this.options.api.url,
      connected: this.connected,
      since: new Date((this.connectedAt ?? this.lostAt ?? this.timers.now())).toISOString(),
      revision: this.options.revision(),
      lastError: this.lastError ?? null,
    };
  }

  async close(): Promise<void> {
    this.closing.abort();
    await this.running;
  }

  private async run(): Promise<void> {
    let failures = 0;
    let whole = false;
    while (!this.closing.signal.aborted) {
      try {
        const answer = await this.options.api.snapshot(this.options.revision(), this.options.waitMs ?? POLL_WAIT_MS, this.closing.signal);
        // The poll is the ordered feed: a revision below the one served is another history (a control plane restarted), not an old answer.
        await this.options.apply(answer, whole || answer.revision < this.options.revision());
        whole = false;
        failures = 0;
        if (this.connectedAt === undefined) {
          this.connectedAt = this.timers.now();
          this.lastError = undefined;
          this.options.log(`toxiproxy: the control plane at ${this.options.api.url} is back: revision ${this.options.revision()} applied`);
        }
      } catch (err) {
        if (this.closing.signal.aborted) break;
        this.lost((err as Error).message);
        whole = true;
        this.options.api.rotate();
        await sleepOn(this.timers, backoffMs(failures++, this.options.random ?? Math.random), this.closing.signal);
      }
    }
  }
}
