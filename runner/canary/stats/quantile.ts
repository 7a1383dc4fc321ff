import type { Bucket } from '../canary-types.js';
import { twoSidedZ } from './normal.js';

/**
 * Quantiles of a latency histogram (counts per bucket, not cumulative, in
 * ascending order of bound), read the way Prometheus' histogram_quantile
 * reads them, so a number here matches what a dashboard shows.
 */

function checkBuckets(buckets: readonly Bucket[]): number {
  let total = 0;
  let previous = -Infinity;
  for (const b of buckets) {
    if (!(b.leMs > previous)) throw new RangeError(`bucket bounds must ascend: ${b.leMs} after ${previous}`);
    if (!Number.isInteger(b.count) || b.count < 0) throw new RangeError(`bucket ${b.leMs}: count must be a non-negative integer, got ${b.count}`);
    previous = b.leMs;
    total += b.count;
  }
  return total;
}

function checkQuantile(q: number): void {
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile must be from 0 to 1, got ${q}`);
}

/**
 * The value at `rank` (1-based, as a real number from 0 to the total) by
 * linear interpolation within its bucket, which starts at the previous
 * bucket's bound (0 for the first, when its bound is positive). A rank in
 * the +Inf bucket gives the last finite bound: nothing more is known.
 * Null when that is not defined (no observations, or only a +Inf bucket).
 */
function valueAtRank(buckets: readonly Bucket[], rank: number): number | null {
  let below = 0;
  for (let i = 0; i < buckets.length; i++) {
    const bucket = buckets[i]!;
    // The first non-empty bucket that reaches the rank: an empty one can only "reach" rank 0, and says nothing.
    if (bucket.count === 0 || below + bucket.count < rank) {
      below += bucket.count;
      continue;
    }
    const previous = i > 0 ? buckets[i - 1]!.leMs : undefined;
    if (bucket.leMs === Infinity) return previous ?? null;
    if (previous === undefined && bucket.leMs <= 0) return bucket.leMs;
    const start = previous ?? 0;
    return start + (bucket.leMs - start) * ((rank - below) / bucket.count);
  }
  return null;
}

/**
 * The q-quantile of a histogram, as histogram_quantile computes it; null
 * without observations.
 *
 * @example histogramQuantile([{ leMs: 10, count: 50 }, { leMs: 20, count: 50 }], 0.75) // 15
 */
export function histogramQuantile(buckets: readonly Bucket[], q: number): number | null {
  checkQuantile(q);
  const n = checkBuckets(buckets);
  if (n === 0) return null;
  return valueAtRank(buckets, q * n);
}

/**
 * A distribution-free interval of the q-quantile, two-sided at
 * `confidence`, from order statistics: the number of observations below
 * the true quantile is Binomial(n, q), so ranks n·q ± z·√(n·q·(1−q))
 * bracket it. The ranks are rounded outward to whole order statistics
 * (never narrower than the formula) and clamped to [1, n], then read as
 * values like histogramQuantile does. Null without observations.
 *
 * The interval is no wider than the buckets allow: with a p99 in a
 * 100..250 ms bucket, both bounds may fall in that same bucket.
 *
 * @example quantileInterval([{ leMs: 10, count: 50 }, { leMs: 20, count: 50 }], 0.5, 0.95) // [8, 12]
 */
export function quantileInterval(buckets: readonly Bucket[], q: number, confidence: number): [number, number] | null {
  checkQuantile(q);
  const z = twoSidedZ(confidence);
  const n = checkBuckets(buckets);
  if (n === 0) return null;
  const centre = n * q;
  const spread = z * Math.sqrt(n * q * (1 - q));
  const loRank = Math.min(n, Math.max(1, Math.floor(centre - spread)));
  const hiRank = Math.min(n, Math.max(1, Math.ceil(centre + spread)));
  const lo = valueAtRank(buckets, loRank);
  const hi = valueAtRank(buckets, hiRank);
  return lo === null || hi === null ? null : [lo, hi];
}
