import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fisherOneSided, newcombeDifference, wilson } from '../../../../runner/canary/stats/proportions.js';

/** Published tables give four decimals; a value agrees when it rounds to them. */
const near = (actual: number, expected: number, tolerance = 5e-5) =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${actual} is not ${expected} (±${tolerance})`);
const nearPair = (actual: readonly [number, number], expected: readonly [number, number]) => {
  near(actual[0], expected[0]);
  near(actual[1], expected[1]);
};

describe("Fisher's exact test, one-sided (canary's error proportion is higher)", () => {
  it('gives p = 17/70 = 0.2429 for the lady tasting tea, [[3,1],[1,3]] (Fisher 1935, The Design of Experiments, ch. II)', () => {
    near(fisherOneSided(3, 4, 1, 4), 0.2429);
    assert.ok(Math.abs(fisherOneSided(3, 4, 1, 4) - 17 / 70) < 1e-12);
  });

  it('gives 1/C(10,5) when every canary attempt failed and no stable one did', () => {
    assert.ok(Math.abs(fisherOneSided(5, 5, 0, 5) - 1 / 252) < 1e-12);
  });

  it('agrees with scipy.stats.fisher_exact(alternative="greater") on counts of canary size', () => {
    // Reference values computed with scipy 1.17.1.
    assert.ok(Math.abs(fisherOneSided(41, 1000, 3, 1000) - 5.641481778811768e-10) < 1e-14);
    near(fisherOneSided(500, 100_000, 450, 100_000), 0.05549351898597687, 1e-10);
  });

  it('is 1 with no canary error, and with every attempt failed in both subsets', () => {
    assert.equal(fisherOneSided(0, 500, 3, 500), 1);
    assert.equal(fisherOneSided(0, 500, 0, 500), 1);
    near(fisherOneSided(50, 50, 50, 50), 1, 1e-12);
  });

  it('is not significant when the canary is better than stable', () => {
    assert.ok(fisherOneSided(1, 1000, 30, 1000) > 0.99);
  });

  it('rejects what are not counts with a RangeError', () => {
    assert.throws(() => fisherOneSided(0, 0, 0, 10), RangeError);
    assert.throws(() => fisherOneSided(0, 10, 0, 0), RangeError);
    assert.throws(() => fisherOneSided(11, 10, 0, 10), RangeError);
    assert.throws(() => fisherOneSided(-1, 10, 0, 10), RangeError);
    assert.throws(() => fisherOneSided(1.5, 10, 0, 10), RangeError);
  });
});

describe("Wilson's score interval", () => {
  // Newcombe RG (1998), Two-sided confidence intervals for the single proportion: comparison of seven
  // methods, Statistics in Medicine 17:857-872, Table II, method 3 (score, without continuity correction).
  const published: Array<[number, number, [number, number]]> = [
    [81, 263, [0.2553, 0.3662]],
    [15, 148, [0.0624, 0.1605]],
    [0, 20, [0, 0.1611]],
    [1, 29, [0.0061, 0.1718]],
  ];
  for (const [x, n, ci] of published) {
    it(`gives ${ci[0]}..${ci[1]} for ${x}/${n} at 95% (Newcombe 1998)`, () => nearPair(wilson(x, n, 0.95), ci));
  }

  it('starts at exactly 0 with no error and ends at exactly 1 with all errors', () => {
    assert.equal(wilson(0, 10, 0.95)[0], 0);
    assert.equal(wilson(10, 10, 0.95)[1], 1);
    assert.ok(wilson(10, 10, 0.95)[0] < 1);
  });

  it('widens with the confidence', () => {
    const [lo95, hi95] = wilson(81, 263, 0.95);
    const [lo99, hi99] = wilson(81, 263, 0.99);
    assert.ok(lo99 < lo95 && hi99 > hi95);
  });

  it('rejects no attempts and a confidence outside (0, 1)', () => {
    assert.throws(() => wilson(0, 0, 0.95), RangeError);
    assert.throws(() => wilson(1, 10, 1), RangeError);
    assert.throws(() => wilson(1, 10, 0), RangeError);
  });
});

describe("Newcombe's hybrid score interval for a difference of proportions", () => {
  // Newcombe RG (1998), Interval estimation for the difference between independent proportions: comparison
  // of eleven methods, Statistics in Medicine 17:873-890, Table II, method 10, examples (a), (b), (d)-(h).
  const published: Array<[[number, number, number, number], [number, number]]> = [
    [[56, 70, 48, 80], [0.0524, 0.3339]],
    [[9, 10, 3, 10], [0.1705, 0.809]],
    [[5, 56, 0, 29], [-0.0381, 0.1926]],
    [[0, 10, 0, 20], [-0.1611, 0.2775]],
    [[0, 10, 0, 10], [-0.2775, 0.2775]],
    [[10, 10, 0, 20], [0.6791, 1]],
    [[10, 10, 0, 10], [0.6075, 1]],
  ];
  for (const [[x1, n1, x2, n2], ci] of published) {
    it(`gives ${ci[0]}..${ci[1]} for ${x1}/${n1} − ${x2}/${n2} at 95% (Newcombe 1998)`, () => nearPair(newcombeDifference(x1, n1, x2, n2, 0.95), ci));
  }

  it('holds the point estimate inside the interval', () => {
    const [lo, hi] = newcombeDifference(41, 1000, 3, 1000, 0.95);
    assert.ok(lo < 0.038 && 0.038 < hi);
    assert.ok(lo > 0, 'a 4.1% against 0.3% difference excludes 0');
  });

  it('rejects a subset without attempts', () => {
    assert.throws(() => newcombeDifference(0, 0, 1, 10, 0.95), RangeError);
    assert.throws(() => newcombeDifference(1, 10, 0, 0, 0.95), RangeError);
  });
});
