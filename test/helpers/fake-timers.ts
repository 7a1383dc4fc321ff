import type { Timers } from '../../proxy/core/timers.js';

/** Node's setTimeout limit: a delay above it (or below 1 ms) runs after 1 ms, and the fake does the same. */
const MAX_DELAY_MS = 2 ** 31 - 1;

interface Pending {
  readonly id: number;
  readonly fn: () => void;
  due: number;
  /** For setInterval: the period; the timer is set again after each run. */
  readonly every: number | undefined;
}

export interface FakeTimers extends Timers {
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
  /**
   * Moves the clock by `ms`, running each timer that falls due on the way at
   * its own time, in order, and letting promise callbacks settle after each,
   * so code that awaits between timers behaves as on a real clock.
   */
  advance(ms: number): Promise<void>;
  /** How many timers are set and not yet run or cleared. */
  pending(): number;
}

/**
 * A clock that moves only when the test says so. The global timers are left
 * alone, so `waitFor` and the network keep real time.
 *
 * @example
 * const clock = fakeTimers();
 * const store = new MemoryStore({ timers: clock });
 * await clock.advance(30_000); // every lease shorter than 30 s has ended
 */
export function fakeTimers(startMs = Date.UTC(2030, 0, 1)): FakeTimers {
  let now = startMs;
  let nextId = 1;
  const timers = new Map<number, Pending>();
  const delayOf = (ms: number) => (ms >= 1 && ms <= MAX_DELAY_MS ? ms : 1);
  const set = (fn: () => void, ms: number, every: number | undefined) => {
    const id = nextId++;
    timers.set(id, { id, fn, due: now + delayOf(ms), every });
    return id;
  };
  const clear = (handle: unknown) => {
    if (typeof handle === 'number') timers.delete(handle);
  };
  const settle = () => new Promise<void>((resolve) => setImmediate(resolve));
  const earliestBy = (limit: number): Pending | undefined => {
    let best: Pending | undefined;
    for (const t of timers.values()) if (t.due <= limit && (!best || t.due < best.due || (t.due === best.due && t.id < best.id))) best = t;
    return best;
  };

  return {
    now: () => now,
    setTimeout: (fn, ms) => set(fn, ms, undefined),
    clearTimeout: clear,
    setInterval: (fn, ms) => set(fn, ms, delayOf(ms)),
    clearInterval: clear,
    async advance(ms) {
      if (!(ms >= 0)) throw new RangeError(`advance needs a duration of 0 or more, not ${ms}`);
      const target = now + ms;
      for (let t = earliestBy(target); t; t = earliestBy(target)) {
        now = Math.max(now, t.due);
        if (t.every === undefined) timers.delete(t.id);
        else t.due = now + t.every;
        t.fn();
        await settle();
      }
      now = target;
      await settle();
    },
    pending: () => timers.size,
  };
}
