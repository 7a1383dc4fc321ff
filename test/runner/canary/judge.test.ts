import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AnalysisSettings, Bucket, SubsetWindow } from '../../../runner/canary/canary-types.js';
import { judgeErrorRatio, judgeLatency, judgeWindow } from '../../../runner/canary/judge.js';

/** The proxies' latency buckets (proxy/telemetry/metrics.ts), in milliseconds. */
const BOUNDS = [1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, Infinity];

/** A histogram of `n` latencies spread evenly from `fromMs` to `toMs`: deterministic, no random source. */
function histogram(n: number, fromMs: number, toMs: number): Bucket[] {
  const counts = BOUNDS.map(() => 0);
  for (let i = 0; i < n; i++) {
    const ms = fromMs + ((toMs - fromMs) * (i + 0.5)) / n;
    const at = BOUNDS.findIndex((b) => ms <= b);
    counts[at]! += 1;
  }
  return BOUNDS.map((leMs, i) => ({ leMs, count: counts[i]! }));
}

const w = (requests: number, errors: number, buckets: Bucket[] = histogram(requests, 15, 45)): SubsetWindow => ({ requests, errors, buckets });

const errorRatio: AnalysisSettings = { minRequests: 200, confidence: 0.95, errorRatio: { maxIncrease: 0.01 } };
const latency = { minRequests: 200, confidence: 0.95, latency: { quantile: 0.99, maxRatio: 1.2 } } as const;

describe('judging the error ratio', () => {
  it('fails a clearly bad canary, and the reason names the metric with its values', () => {
    const check = judgeErrorRatio(w(1000, 3), w(1000, 41), errorRatio);
    assert.equal(check.outcome, 'fail');
    assert.equal(check.reason, 'canary error ratio 4.1% vs stable 0.30% (+3.8 points, 95% CI +2.6..+5.2, p<0.0001): above the allowed +1 point');
    assert.ok(check.pValue! < 1e-8);
    assert.ok(Math.abs(check.difference! - 0.038) < 1e-12);
    assert.deepEqual(check.canary, { requests: 1000, errors: 41, ratio: 0.041 });
  });

  it('passes a canary that fails as often as stable', () => {
    const check = judgeErrorRatio(w(1000, 3), w(1000, 3), errorRatio);
    assert.equal(check.outcome, 'pass');
    assert.match(check.reason, /^canary error ratio 0.30% vs stable 0.30% \(\+0.00 points, .*p=0.66\): within the allowed \+1 point$/);
  });

  it('passes a small increase within maxIncrease even when it is significant', () => {
    const check = judgeErrorRatio(w(20_000, 0), w(20_000, 100), errorRatio);
    assert.ok(check.pValue! < 0.001, 'the increase is real');
    assert.equal(check.outcome, 'pass');
    assert.match(check.reason, /\+0.50 points.*within the allowed \+1 point$/);
  });

  it('passes an increase above maxIncrease that is not significant, and says so', () => {
    const check = judgeErrorRatio(w(200, 0), w(200, 3), errorRatio);
    assert.ok(check.difference! > 0.01);
    assert.equal(check.outcome, 'pass');
    assert.match(check.reason, /above the allowed \+1 point but not significant at 95%$/);
  });

  it('is insufficient, not a pass, for a big difference on a tiny sample', () => {
    const check = judgeErrorRatio(w(820, 2), w(37, 20), errorRatio);
    assert.equal(check.outcome, 'insufficient');
    assert.equal(check.reason, 'insufficient data: canary 37 requests, stable 820, below minRequests 200');
    assert.ok(check.difference! > 0.5, 'what little there was is still recorded');
  });

  it('is insufficient, not a pass, when stable itself fails most requests: there is no healthy baseline', () => {
    const check = judgeErrorRatio(w(1000, 996), w(1000, 1000), errorRatio);
    assert.equal(check.outcome, 'insufficient');
    assert.equal(check.reason, 'no healthy baseline: stable failed 99.6% of its requests (canary 100.0%), above 50.0%');
    assert.equal(judgeWindow(w(1000, 996), w(1000, 1000), { ...errorRatio, ...latency }).outcome, 'insufficient');
    // At the bound, the comparison still decides.
    assert.equal(judgeErrorRatio(w(1000, 500), w(1000, 500), errorRatio).outcome, 'pass');
  });

  it('is insufficient with no request at all, and records nulls', () => {
    const check = judgeErrorRatio(w(0, 0), w(0, 0), errorRatio);
    assert.equal(check.outcome, 'insufficient');
    assert.equal(check.difference, null);
    assert.equal(check.ci, null);
    assert.equal(check.pValue, null);
    assert.equal(check.canary.ratio, null);
  });

  it('fails at a stricter threshold what passes at the default', () => {
    const strict = judgeErrorRatio(w(5000, 10), w(5000, 40), { ...errorRatio, errorRatio: { maxIncrease: 0.005 } });
    const loose = judgeErrorRatio(w(5000, 10), w(5000, 40), errorRatio);
    assert.equal(strict.outcome, 'fail');
    assert.match(strict.reason, /above the allowed \+0.5 points$/);
    assert.equal(loose.outcome, 'pass');
  });
});

describe('judging latency', () => {
  it('fails a canary three times slower, naming the quantile, the ratio and the test', () => {
    const check = judgeLatency(w(1000, 0, histogram(1000, 15, 45)), w(1000, 0, histogram(1000, 45, 135)), latency);
    assert.equal(check.outcome, 'fail');
    assert.ok(check.ratio! > 2.5, `ratio ${check.ratio}`);
    assert.ok(check.ratioCi![0] > 1);
    assert.ok(check.mannWhitney!.pValue < 1e-6);
    assert.ok(check.mannWhitney!.probabilityCanarySlower > 0.9);
    assert.match(check.reason, /^canary p99 \d+ ms vs stable \d+ ms \(\d\.\d\dx, 95% CI [\d.]+x\.\.[\d.]+x; Mann–Whitney p<0.0001\): above the allowed 1.2x$/);
  });

  it('passes a canary equal in latency', () => {
    const check = judgeLatency(w(1000, 0), w(1000, 0), latency);
    assert.equal(check.outcome, 'pass');
    assert.equal(check.ratio, 1);
    assert.equal(check.mannWhitney!.probabilityCanarySlower, 0.5);
    assert.match(check.reason, /\(1.00x, .*\): within the allowed 1.2x$/);
  });

  it('is insufficient for a slow canary with too few requests', () => {
    const check = judgeLatency(w(1000, 0), w(50, 0, histogram(50, 45, 135)), latency);
    assert.equal(check.outcome, 'insufficient');
    assert.equal(check.reason, 'insufficient data: canary 50 requests, stable 1000, below minRequests 200');
  });

  it('is insufficient when too few of the requests were timed', () => {
    const check = judgeLatency(w(1000, 0), w(1000, 900, histogram(100, 15, 45)), latency);
    assert.equal(check.outcome, 'insufficient');
    assert.equal(check.reason, 'insufficient p99 latency data: canary 100 of 1000 requests timed, stable 1000 of 1000, below minRequests 200');
  });

  it('guards the ratio against a stable quantile of 0 ms', () => {
    const zero: Bucket[] = [{ leMs: 0, count: 1000 }, { leMs: 10, count: 0 }, { leMs: Infinity, count: 0 }];
    const check = judgeLatency(w(1000, 0, zero), w(1000, 0, [{ leMs: 0, count: 0 }, { leMs: 10, count: 1000 }, { leMs: Infinity, count: 0 }]), latency);
    assert.equal(check.stableMs, 0);
    assert.ok(Number.isFinite(check.ratio!) && Number.isFinite(check.ratioCi![1]));
    assert.equal(check.outcome, 'fail');
  });

  it('still judges on the ratio interval when the histograms have different buckets', () => {
    const other = histogram(1000, 45, 135).filter((b) => b.leMs !== 2.5);
    const check = judgeLatency(w(1000, 0), w(1000, 0, other), latency);
    assert.equal(check.mannWhitney, null);
    assert.equal(check.outcome, 'fail');
    assert.match(check.reason, /Mann–Whitney not computed: the histograms have different buckets/);
  });
});

describe('judging a window', () => {
  const both: AnalysisSettings = { ...errorRatio, latency: latency.latency };

  it('fails when one check fails, with only the failing reason', () => {
    const j = judgeWindow(w(1000, 3), w(1000, 3, histogram(1000, 45, 135)), both);
    assert.equal(j.outcome, 'fail');
    assert.deepEqual(j.checks.map((c) => [c.metric, c.outcome]), [['error-ratio', 'pass'], ['latency', 'fail']]);
    assert.match(j.reason, /^canary p99 .*above the allowed 1.2x$/);
  });

  it('joins the reasons of every failing check', () => {
    const j = judgeWindow(w(1000, 3), w(1000, 41, histogram(1000, 45, 135)), both);
    assert.equal(j.outcome, 'fail');
    assert.match(j.reason, /^canary error ratio 4.1% .*\+1 point; canary p99 .*1.2x$/);
  });

  it('is insufficient rather than pass when one check lacks data, and says it once', () => {
    const j = judgeWindow(w(1000, 3), w(37, 0), both);
    assert.equal(j.outcome, 'insufficient');
    assert.equal(j.reason, 'insufficient data: canary 37 requests, stable 1000, below minRequests 200');
  });

  it('puts a failure before missing data', () => {
    const j = judgeWindow(w(1000, 3), w(1000, 41, histogram(100, 15, 45)), both);
    assert.equal(j.outcome, 'fail');
    assert.match(j.reason, /^canary error ratio/);
  });

  it('passes when every check passes, with every summary', () => {
    const j = judgeWindow(w(1000, 3), w(1000, 4), both);
    assert.equal(j.outcome, 'pass');
    assert.match(j.reason, /within the allowed \+1 point; canary p99 .*within the allowed 1.2x$/);
  });

  it('judges the error ratio at +1 point when no check is configured', () => {
    const bare: AnalysisSettings = { minRequests: 200, confidence: 0.95 };
    const bad = judgeWindow(w(1000, 3), w(1000, 41), bare);
    assert.equal(bad.checks.length, 1);
    assert.equal(bad.checks[0]!.metric, 'error-ratio');
    assert.equal(bad.outcome, 'fail');
    assert.match(bad.reason, /above the allowed \+1 point$/);
    assert.equal(judgeWindow(w(1000, 3), w(1000, 3), bare).outcome, 'pass');
  });
});

describe('judging counters that raced', () => {
  it('reads a negative bucket delta (a proxy restarted) as 0 instead of throwing', () => {
    const raced = histogram(1000, 15, 45).map((b) => (b.leMs === Infinity ? { leMs: b.leMs, count: -3 } : b));
    const check = judgeLatency(w(1000, 0), w(1000, 0, raced), latency);
    assert.equal(check.outcome, 'pass');
  });

  it('reads more errors than requests as every request failing', () => {
    const check = judgeErrorRatio(w(1000, 3), w(1000, 1002), errorRatio);
    assert.deepEqual(check.canary, { requests: 1000, errors: 1000, ratio: 1 });
    assert.equal(check.outcome, 'fail');
  });
});
