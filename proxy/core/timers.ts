/**
 * Time, injected whole: the control plane's leases and pings, and the
 * control-plane client's back-off, reports, renewals and lease ends run on
 * it, so tests drive them with a fake (test/helpers/fake-timers.ts) and
 * `advance(ms)` instead of waiting on the wall clock.
 */
export interface Timers {
  now(): number;
  /** Calls `fn` after `ms`; the handle is opaque and only given back to clearTimeout. */
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimers: Timers = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms).unref(),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** Resolves after `ms` on `timers`, or at once when `signal` aborts (a closing client never waits out a back-off). */
export function sleepOn(timers: Timers, ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      timers.clearTimeout(handle);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const handle = timers.setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

/**
 * The longest delay setTimeout honours (about 24.8 days); Node fires a
 * longer one after 1 ms. Waits longer than this are made in steps.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;
