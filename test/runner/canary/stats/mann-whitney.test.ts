import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mannWhitneyBuckets } from '../../../../runner/canary/stats/mann-whitney.js';

const near = (actual: number, expected: number, tolerance: number) =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${actual} is not ${expected} (±${tolerance})`);

/** Raw values as a histogram with one bucket per distinct value, so nothing ties that did not tie already. */
function asBuckets(canary: number[], stable: number[]): [number[], number[]] {
  const bounds = [...new Set([...canary, ...stable])].sort((a, b) => a - b);
  const count = (values: number[]) => bounds.map((b) => values.filter((v) => v === b).length);
  return [count(canary), count(stable)];
}

describe('Mann–Whitney U on histogram buckets', () => {
  it("gives U1 = 17 and the asymptotic p of scipy's documented example (males against females)", () => {
    // scipy.stats.mannwhitneyu docs: males [19,22,16,29,24], females [20,11,17,12]: U1 = 17,
    // asymptotic two-sided p = 0.1113, so one-sided (males larger) p = 0.0557.
    const [canary, stable] = asBuckets([19, 22, 16, 29, 24], [20, 11, 17, 12]);
    const r = mannWhitneyBuckets(canary, stable);
    assert.equal(r.u, 17);
    near(r.pValue * 2, 0.1113, 5e-5);
    near(r.pValue, 0.0557, 5e-5);
    assert.equal(r.probabilityCanarySlower, 17 / 20);
  });

  it('handles heavy ties as worked out by hand', () => {
    // Three buckets; canary [3, 5, 2], stable [6, 3, 1]; n1 = n2 = 10, N = 20.
    // U = 3·(0 + 6/2) + 5·(6 + 3/2) + 2·(6 + 3 + 1/2) = 9 + 37.5 + 19 = 65.5; mean n1·n2/2 = 50.
    // Ties per bucket t = 9, 8, 3: Σ(t³ − t) = 720 + 504 + 24 = 1248.
    // var = n1·n2/12 · (N + 1 − Σ(t³ − t)/(N(N − 1))) = 100/12 · (21 − 1248/380) = 147.6316; sd = 12.1504.
    // z = (65.5 − 50 − 0.5)/12.1504 = 1.23453; one-sided p = 1 − Φ(1.23453) = 0.10850
    // (scipy.stats.mannwhitneyu on the expanded values, alternative="greater", method="asymptotic": 0.1085027).
    const r = mannWhitneyBuckets([3, 5, 2], [6, 3, 1]);
    assert.equal(r.u, 65.5);
    near(r.z, 1.23453, 1e-5);
    near(r.pValue, 0.1085027, 1e-6);
    assert.equal(r.probabilityCanarySlower, 0.655);
  });

  it('gives p about 0.5 and probability 0.5 for identical distributions', () => {
    const r = mannWhitneyBuckets([40, 300, 120, 30, 10, 0], [40, 300, 120, 30, 10, 0]);
    assert.equal(r.probabilityCanarySlower, 0.5);
    near(r.pValue, 0.5, 0.01);
    assert.ok(r.pValue > 0.5, 'the continuity correction leans toward "not slower"');
  });

  it('finds a canary shifted one bucket up clearly slower', () => {
    const r = mannWhitneyBuckets([0, 100, 300, 100], [100, 300, 100, 0]);
    assert.ok(r.pValue < 1e-6);
    assert.ok(r.probabilityCanarySlower > 0.7);
  });

  it('finds a faster canary not slower', () => {
    const r = mannWhitneyBuckets([100, 300, 100, 0], [0, 100, 300, 100]);
    assert.ok(r.pValue > 0.999);
    assert.ok(r.probabilityCanarySlower < 0.3);
  });

  it('gives p = 1 when every value falls in one bucket (U cannot vary)', () => {
    const r = mannWhitneyBuckets([0, 12, 0], [0, 30, 0]);
    assert.equal(r.pValue, 1);
    assert.equal(r.z, 0);
    assert.equal(r.probabilityCanarySlower, 0.5);
  });

  it('rejects histograms of different shapes, or without observations', () => {
    assert.throws(() => mannWhitneyBuckets([1, 2], [1, 2, 3]), RangeError);
    assert.throws(() => mannWhitneyBuckets([0, 0], [1, 2]), RangeError);
    assert.throws(() => mannWhitneyBuckets([1, 2], [0, 0]), RangeError);
    assert.throws(() => mannWhitneyBuckets([1, -2], [1, 2]), RangeError);
  });
});
