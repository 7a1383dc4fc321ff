import type { Measured } from './measure.js';
import { median } from './print.js';
import type { Target } from './targets.js';

/** A figure of `other` against `reference` over the rounds: the median ratio - 1 and its range. */
export interface Versus {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

/**
 * Runs `reference` and `other` under the same load at the same time, round
 * after round, and gives `pick(other) / pick(reference) - 1` per round,
 * summarised. Run side by side, both meet the same neighbours, the same
 * CPU steal and the same upstream, so a drift that makes two runs of one
 * proxy seconds apart differ by 10% on a shared VM cancels out; what is
 * left is what one costs more than the other when they share the CPU.
 */
export async function headToHead(reference: Target, other: Target, rounds: number, run: (t: Target) => Promise<Measured>, pick: (m: Measured) => number): Promise<Versus> {
  const ratios: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const [r, o] = await Promise.all([run(reference), run(other)]);
    ratios.push(pick(o) / pick(r) - 1);
  }
  return { median: median(ratios), min: Math.min(...ratios), max: Math.max(...ratios) };
}
