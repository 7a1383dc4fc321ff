import type { Bucket } from '../canary-types.js';
import jStat from 'jstat';

/**
 * Quantiles of a latency histogram (counts per bucket, not cumulative, in
 * ascending order of bound), read the way Prometheus' histogram_quantile
 * reads them, so a number here matches what a dashboard shows. The one
 * histogram quantile of faultmesh: the canary's judgement, an experiment's
 * window (runner/mesh-metrics.ts) and the /ui map's p99 all read it here.
 */

/**
 * The total of `buckets`, after checking their bounds ascend and their
 * counts are not negative. A quantile takes fractional counts (as
 * Prometheus takes a rate()); an interval needs `whole` ones, since its
 * ranks come from a binomial of n observations.
 */
function checkBuckets(buckets: readonly Bucket[], whole: boolean): number {
  let total = 0;
  let previous = -Infinity;
  for (const b of buckets) {
    if (!(b.leMs > previous)) throw new RangeError(`bucket bounds must ascend: ${b.leMs} after ${previous}`);
    const ok = whole ? Number.isInteger(b.count) : Number.isFinite(b.count);
    if (!ok || b.count < 0) throw new RangeError(`bucket ${b.leMs}: count must be a non-negative ${whole ? 'integer' : 'number'}, got ${b.count}`);
    previous = b.leMs;
    total += b.count;
  }
  return total;
}

/**
 * Buckets from cumulative counts, as Prometheus' `_bucket` series give
 * them (`le` bound → observations at or under it), with bounds multiplied
 * by `toMs` (1000 for seconds). A count below an earlier bound's is raised
 * to it, as histogram_quantile does: a sum over proxies that restarted at
 * different times can dip. A bound that is not a number, or a count that
 * is not finite, says nothing about latency and is left out, so one odd
 * series never makes a quantile throw.
 *
 * @example bucketsFromCumulative([[0.01, 40], [0.1, 90], [Infinity, 100]], 1000) // [{ leMs: 10, count: 40 }, { leMs: 100, count: 50 }, { leMs: Infinity, count: 10 }]
 */
export function bucketsFromCumulative(cumulative: Iterable<readonly [number, number]>, toMs = 1): Bucket[] {
  const sorted = [...cumulative].filter(([le, count]) => !Number.isNaN(le) && Number.isFinite(count)).sort((a, b) => a[0] - b[0]);
  const out: Bucket[] = [];
  let below = 0;
  for (const [le, count] of sorted) {
    const bucket = { leMs: le * toMs, count: Math.max(0, count - below) };
    const last = out[out.length - 1];
    // Two bounds a float apart can scale to one; merged, they still ascend, as histogramQuantile checks.
    if (last?.leMs === bucket.leMs) out[out.length - 1] = { leMs: last.leMs, count: last.count + bucket.count };
    else out.push(bucket);
    below = Math.max(below, count);
  }
  return out;
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
  const n = checkBuckets(buckets, false);
  if (n === 0) return null;
  return valueAtRank(buckets, q * n);
}

/**
 * Order-statistic ranks bracketing the q-quantile at `confidence`, from the
 * exact binomial: the observations at or below the true quantile number
 * B ~ Binomial(n, q), so X(l) > Q only when B < l, and X(u) < Q only when
 * B >= u. l is the largest rank with P(B <= l-1) <= α/2 (0: no order
 * statistic bounds it below), u the smallest with P(B >= u) <= α/2 (n+1:
 * none bounds it above). Exact rather than n·q ± z·√(n·q·(1−q)): for a
 * p99 of a few hundred attempts that approximation names the largest
 * observation as an upper bound it is not, and made equal subsets look
 * different.
 */
export function orderStatisticRanks(n: number, q: number, confidence: number): [number, number] {
  const a = (1 - confidence) / 2;
  const cdf = (k: number) => (k < 0 ? 0 : jStat.binomial.cdf(k, n, q));
  // Largest l in [0, n] with cdf(l - 1) <= a (cdf grows with l).
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (cdf(mid - 1) <= a) lo = mid;
    else hi = mid - 1;
  }
  const l = lo;
  // Smallest u in [1, n + 1] with 1 - cdf(u - 1) <= a.
  lo = 1;
  hi = n + 1;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (1 - cdf(mid - 1) <= a) hi = mid;
    else lo = mid + 1;
  }
  return [l, lo];
}

/**
 * A distribution-free interval of the q-quantile, two-sided at
 * `confidence`, read from the order statistics orderStatisticRanks names,
 * as values the way histogramQuantile reads them. A lower rank of 0 gives
 * 0 (latencies are not negative). Null without observations, or when no
 * order statistic bounds the quantile above (too few observations for
 * that quantile at that confidence: 368 for a p99 at 95%), since
 * then nothing in the data says how high it may be.
 *
 * The interval is no wider than the buckets allow: with a p99 in a
 * 100..250 ms bucket, both bounds may fall in that same bucket.
 *
 * @example quantileInterval([{ leMs: 10, count: 50 }, { leMs: 20, count: 50 }], 0.5, 0.95) // [8, 12]
 */
export function quantileInterval(buckets: readonly Bucket[], q: number, confidence: number): [number, number] | null {
  checkQuantile(q);
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence must be between 0 and 1, got ${confidence}`);
  const n = checkBuckets(buckets, true);
  if (n === 0) return null;
  const [l, u] = orderStatisticRanks(n, q, confidence);
  if (u > n) return null;
  const lo = l === 0 ? 0 : valueAtRank(buckets, l);
  const hi = valueAtRank(buckets, u);
  return lo === null || hi === null ? null : [lo, hi];
}
