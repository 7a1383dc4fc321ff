import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Bucket } from '../../../../runner/canary/canary-types.js';
import { histogramQuantile, quantileInterval } from '../../../../runner/canary/stats/quantile.js';

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

describe('quantileInterval, from order statistics', () => {
  it('brackets the median by ranks n·q ± z·√(n·q·(1−q)), rounded outward', () => {
    // n = 100, q = 0.5: 50 ± 1.95996·5 = 50 ± 9.80, so ranks 40 and 60.
    // Rank 40: 10 + 15·(30/80) = 15.625; rank 60: 10 + 15·(50/80) = 19.375.
    const ci = quantileInterval(shop, 0.5, 0.95);
    near(ci?.[0], 15.625);
    near(ci?.[1], 19.375);
  });

  it('clamps the upper rank at n for a high quantile', () => {
    // n = 100, q = 0.99: 99 ± 1.95996·√0.99 = 99 ± 1.950, so ranks 97 and 101 → 100.
    // Rank 97: 25 + 75·(7/9) = 83.333; rank 100 is in the +Inf bucket: the last finite bound, 100.
    const ci = quantileInterval(shop, 0.99, 0.95);
    near(ci?.[0], 25 + (75 * 7) / 9);
    near(ci?.[1], 100);
  });

  it('clamps the lower rank at 1', () => {
    // n = 10, q = 0.05: 0.5 ± 1.95996·√0.475 = 0.5 ± 1.351, so ranks 1 (from −0.85) and 2 (from 1.85).
    // All 10 in (0, 10]: rank 1 → 1, rank 2 → 2.
    const ci = quantileInterval([{ leMs: 10, count: 10 }], 0.05, 0.95);
    near(ci?.[0], 1);
    near(ci?.[1], 2);
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
