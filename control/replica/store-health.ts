import type { Timers } from '../../proxy/core/timers.js';
import type { Store } from '../store/store.js';

export const PROBE_EVERY_MS = 1_000;
/** Consecutive failed probes before the replica calls itself unhealthy: one slow answer during an etcd leader election is not an outage. */
export const FAILURES_TO_UNHEALTHY = 2;

export type StoreHealthState =
  | { readonly ok: true; readonly since: number }
  | { readonly ok: false; readonly since: number; readonly error: string };

/**
 * Whether this replica can reach its shared store, from a read every
 * second with its own deadline. The control plane answers /healthz 503,
 * refuses writes and proxy streams while it is unhealthy (so proxies and
 * clients go to a replica that can), and ends the streams it has when it
 * turns unhealthy.
 */
export class StoreHealth {
  private current: StoreHealthState;
  private failures = 0;
  private timer: unknown;
  private stopped = false;
  private readonly listeners = new Set<(s: StoreHealthState) => void>();

  constructor(
    private readonly store: Store,
    private readonly timers: Timers,
    private readonly everyMs = PROBE_EVERY_MS,
  ) {
    this.current = { ok: true, since: timers.now() };
  }

  get state(): StoreHealthState {
    return this.current;
  }

  onChange(listener: (s: StoreHealthState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  start(): void {
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    this.timers.clearTimeout(this.timer);
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = this.timers.setTimeout(() => void this.probe().finally(() => this.schedule()), this.everyMs);
    (this.timer as { unref?: () => void }).unref?.();
  }

  private async probe(): Promise<void> {
    let error: string | undefined;
    let deadline: unknown;
    try {
      await Promise.race([
        this.store.revision(),
        new Promise((_, reject) => (deadline = this.timers.setTimeout(() => reject(new Error(`no answer within ${this.everyMs * 2} ms`)), this.everyMs * 2))),
      ]);
    } catch (err) {
      error = (err as Error).message;
    } finally {
      this.timers.clearTimeout(deadline);
    }
    if (this.stopped) return;
    if (error === undefined) {
      this.failures = 0;
      if (!this.current.ok) this.set({ ok: true, since: this.timers.now() });
    } else if (++this.failures >= FAILURES_TO_UNHEALTHY) {
      if (this.current.ok) this.set({ ok: false, since: this.timers.now(), error });
      else this.current = { ...this.current, error };
    }
  }

  private set(state: StoreHealthState): void {
    this.current = state;
    for (const listener of this.listeners) listener(state);
  }
}
