import type { LoadResult } from './load.js';
import { withPeakRss } from './memory.js';
import { median } from './print.js';
import type { Target } from './targets.js';

/** One target's figures: the median of each over the rounds, but for the RSS peak, the highest. */
export interface Measured extends LoadResult {
  /** CPU of the target's process tree per request, in µs (open loop). */
  readonly cpuUs?: number;
  /** Highest RSS sampled during the runs, in MiB, summed over the process tree (closed loop). */
  readonly peakRssMiB?: number;
}

export type Load = (url: string, host: string, connections: number, seconds: number) => Promise<LoadResult>;

export const urlOf = (t: Target): string => `http://127.0.0.1:${t.port}/`;

/**
 * Runs every target once per round, rotating the order so that none always
 * runs first or last, and keeps the median of each figure.
 */
export async function interleave(targets: readonly Target[], rounds: number, run: (t: Target) => Promise<Measured>): Promise<Map<string, Measured>> {
  return mediansOf(await interleaveRounds(targets, rounds, run));
}

/**
 * Each target's figures round by round, run as `interleave` runs them: for
 * ratios taken within a round (a target against the reference measured
 * seconds apart), which drift on a shared machine spoils less than a ratio
 * of medians.
 */
export async function interleaveRounds(targets: readonly Target[], rounds: number, run: (t: Target) => Promise<Measured>): Promise<Map<string, Measured[]>> {
  const results = new Map<string, Measured[]>(targets.map((t) => [t.name, []]));
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < targets.length; i++) {
      const t = targets[(i + round) % targets.length]!;
      results.get(t.name)!.push(await run(t));
    }
  }
  return results;
}

/** The median of each figure over the rounds, but for the RSS peak, the highest. */
export function mediansOf(results: ReadonlyMap<string, readonly Measured[]>): Map<string, Measured> {
  return new Map(
    [...results].map(([name, rs]) => [
      name,
      {
        rps: median(rs.map((r) => r.rps)),
        p50: median(rs.map((r) => r.p50)),
        p99: median(rs.map((r) => r.p99)),
        errors: rs.reduce((n, r) => n + r.errors, 0),
        cpuUs: median(rs.map((r) => r.cpuUs ?? Number.NaN)),
        peakRssMiB: Math.max(...rs.map((r) => r.peakRssMiB ?? Number.NaN)),
      },
    ]),
  );
}

/** A closed-loop run that also samples the target's peak RSS while it lasts. */
export function closedWithRss(load: Load, connections: number, seconds: number): (t: Target) => Promise<Measured> {
  return async (t) => {
    const { result, peakRssMiB } = await withPeakRss(t.process.proc.pid, () => load(urlOf(t), t.host, connections, seconds));
    return { ...result, peakRssMiB };
  };
}

export type OpenLoop = (origin: string, host: string, rate: number, seconds: number) => Promise<LoadResult>;

/** An open-loop run at `rate` that also gives the target's CPU per request (its whole process tree). */
export function openWithCpu(openLoop: OpenLoop, rate: number, seconds: number): (t: Target) => Promise<Measured> {
  return async (t) => {
    const before = t.process.cpuMs();
    const result = await openLoop(`http://127.0.0.1:${t.port}`, t.host, rate, seconds);
    return { ...result, cpuUs: ((t.process.cpuMs() - before) * 1000) / (rate * seconds) };
  };
}
