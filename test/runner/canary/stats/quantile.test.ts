import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Bucket } from '../../../../runner/canary/canary-types.js';
import { bucketsFromCumulative, histogramQuantile, orderStatisticRanks, quantileInterval } from '../../../../runner/canary/stats/quantile.js';

const near = (actual: number | null | undefined, expected: number, tolerance = 1e-9) =>
  assert.ok(actual !== null && actual !== undefined && Math.abs(actual - expected) <= tolerance, `${actual} is not ${expected}`);

// 100 attempts: none up to 5 ms, 10 in (5, 10], 80 in (10, 25], 9 in (25, 100], 1 above 100 ms.
const shop: Bucket[] = [
  { leMs: 5, count: 0 },
  { leMs: 10, count: 10 },
  { leMs: 25, count: 80 },
  { leMs: 100, count: 9 },
  { leMs: Infinity, count: 1 },
];

describe('histogramQuantile, read as Prometheus reads a histogram', () => {
  it('interpolates linearly within the bucket that holds the rank', () => {
    // p50: rank 50, 10 below the (10, 25] bucket, so 10 + 15·(40/80) = 17.5.
    near(histogramQuantile(shop, 0.5), 17.5);
    // p95: rank 95, 90 below the (25, 100] bucket: 25 + 75·(5/9) = 66.667.
    near(histogramQuantile(shop, 0.95), 25 + (75 * 5) / 9);
    // p99: rank 99, the top of (25, 100].
    near(histogramQuantile(shop, 0.99), 100);
  });

  it('starts the first bucket at 0', () => {
    // p50 of 100 attempts all under 10 ms: 0 + 10·(50/100).
    near(histogramQuantile([{ leMs: 10, count: 100 }, { leMs: Infinity, count: 0 }], 0.5), 5);
  });

  it('gives the last finite bound for a rank in the +Inf bucket', () => {
    near(histogramQuantile(shop, 0.995), 100);
    near(histogramQuantile(shop, 1), 100);
  });

  it('gives null without observations, or with only a +Inf bucket', () => {
    assert.equal(histogramQuantile([], 0.99), null);
    assert.equal(histogramQuantile([{ leMs: 10, count: 0 }], 0.99), null);
    assert.equal(histogramQuantile([{ leMs: Infinity, count: 7 }], 0.5), null);
  });

  it('rejects a quantile outside [0, 1] and buckets out of order', () => {
    assert.throws(() => histogramQuantile(shop, 1.5), RangeError);
    assert.throws(() => histogramQuantile(shop, -0.1), RangeError);
    assert.throws(() => histogramQuantile([{ leMs: 10, count: 1 }, { leMs: 5, count: 1 }], 0.5), RangeError);
  });
});

describe('histogramQuantile of cumulative buckets, as a proxy\u2019s /metrics gives them (seconds)', () => {
  const cases: Array<[string, Array<[number, number]>, number, number | null]> = [
    ['interpolates inside the bucket that holds the rank', [[0.01, 50], [0.1, 100], [Infinity, 100]], 0.99, 10 + 90 * (49 / 50)],
    ['starts the first bucket at 0', [[0.1, 10], [Infinity, 10]], 0.5, 50],
    ['is the highest finite bound when the rank is in +Inf', [[0.1, 10], [Infinity, 20]], 0.99, 100],
    ['reads the bounds in any order', [[Infinity, 100], [0.1, 100], [0.01, 50]], 0.99, 10 + 90 * (49 / 50)],
    ['takes fractional counts, as of a rate', [[0.01, 0.5], [0.1, 1], [Infinity, 1]], 0.75, 10 + 90 * 0.5],
    ['raises a count that dips below an earlier bound\u2019s (a sum over restarted proxies)', [[0.01, 4], [Infinity, 1]], 0.5, 5],
    ['leaves out a bound that is not a number and a count that is not finite', [[Number.NaN, 7], [0.01, 10], [0.1, Infinity], [Infinity, 10]], 0.5, 5],
    ['is null without observations', [[0.1, 0], [Infinity, 0]], 0.99, null],
    ['is null with only a +Inf bucket: nothing says how fast', [[Infinity, 5]], 0.5, null],
  ];
  for (const [name, cumulative, q, expected] of cases) {
    it(name, () => {
      const got = histogramQuantile(bucketsFromCumulative(cumulative, 1000), q);
      if (expected === null) assert.equal(got, null);
      else near(got, expected);
    });
  }

  it('turns cumulative counts into counts per bucket, bounds in milliseconds', () => {
    assert.deepEqual(bucketsFromCumulative([[0.01, 40], [0.1, 90], [Infinity, 100]], 1000), [
      { leMs: 10, count: 40 },
      { leMs: 100, count: 50 },
      { leMs: Infinity, count: 10 },
    ]);
  });

  it('merges bounds that scale to the same one, so the quantile never throws on a proxy\u2019s odd bounds', () => {
    // Two doubles side by side whose products by 1000 round to one double.
    const a = 0.051269;
    const b = 0.05126900000000001;
    assert.ok(a < b && a * 1000 === b * 1000, 'the case needs two bounds that scale to one');
    const buckets = bucketsFromCumulative([[a, 3], [b, 5], [Infinity, 5]], 1000);
    assert.deepEqual(buckets, [{ leMs: a * 1000, count: 5 }, { leMs: Infinity, count: 0 }]);
    near(histogramQuantile(buckets, 0.5), (a * 1000) / 2);
  });

  it('still wants whole counts for an interval, whose ranks come from a binomial', () => {
    assert.throws(() => quantileInterval([{ leMs: 10, count: 0.5 }], 0.5, 0.95), /non-negative integer/);
  });
});

describe('quantileInterval, from order statistics', () => {
  it('takes its ranks from the exact binomial: the tabulated distribution-free intervals of a median', () => {
    // Conover, Practical Nonparametric Statistics, Table A3 (95%): n = 20 → X(6)..X(15); n = 100 → X(40)..X(61).
    assert.deepEqual(orderStatisticRanks(20, 0.5, 0.95), [6, 15]);
    assert.deepEqual(orderStatisticRanks(100, 0.5, 0.95), [40, 61]);
  });

  it('reads the ranks as values: the median of 100', () => {
    // Ranks 40 and 61: 10 + 15·(30/80) = 15.625 and 10 + 15·(51/80) = 19.5625.
    const ci = quantileInterval(shop, 0.5, 0.95);
    near(ci?.[0], 15.625);
    near(ci?.[1], 19.5625);
  });

  it('has no upper bound for a p99 of too few observations: null, not the largest one', () => {
    // n = 100, q = 0.99: P(all 100 below the p99) = 0.99^100 = 0.366 > 0.025, so no order statistic bounds it above.
    assert.deepEqual(orderStatisticRanks(100, 0.99, 0.95), [97, 101]);
    assert.equal(quantileInterval(shop, 0.99, 0.95), null);
    // From 0.99^n <= 0.025, i.e. n >= 368, the largest observation bounds it.
    assert.deepEqual(orderStatisticRanks(368, 0.99, 0.95)[1], 368);
  });

  it('starts at 0 when no order statistic bounds a low quantile below', () => {
    // n = 10, q = 0.05: P(B = 0) = 0.599 > 0.025, so l = 0; P(B >= 3) = 0.0115 <= 0.025 < P(B >= 2) = 0.0861, so u = 3.
    assert.deepEqual(orderStatisticRanks(10, 0.05, 0.95), [0, 3]);
    const ci = quantileInterval([{ leMs: 10, count: 10 }], 0.05, 0.95);
    near(ci?.[0], 0);
    near(ci?.[1], 3);
  });

  it('narrows as the sample grows', () => {
    const scaled = shop.map((b) => ({ leMs: b.leMs, count: b.count * 100 }));
    const small = quantileInterval(shop, 0.5, 0.95)!;
    const large = quantileInterval(scaled, 0.5, 0.95)!;
    assert.ok(large[1] - large[0] < (small[1] - small[0]) / 5);
    assert.ok(large[0] <= 17.5 && 17.5 <= large[1]);
  });

  it('gives null without observations', () => {
    assert.equal(quantileInterval([], 0.99, 0.95), null);
  });
});
