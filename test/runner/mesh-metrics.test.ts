import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BUCKETS, REQUESTS, increases, quantileMs, windowStats } from '../../runner/mesh-metrics.js';
import { parsePromText, type Sample } from '../../runner/providers/prom-text.js';

const WANTED = new Set([REQUESTS, BUCKETS]);

/** One proxy's page: `ok` 200s and `failed` 503s, `fast` of all of them under 10 ms and the rest under 100 ms. */
const page = (ok: number, failed: number, fast: number) => {
  const all = ok + failed;
  return parsePromText(
    [
      `# TYPE ${REQUESTS} counter`,
      `${REQUESTS}{source="web",destination="api",instance="a1",code="200"} ${ok}`,
      `${REQUESTS}{source="web",destination="api",instance="a1",code="503"} ${failed}`,
      `${BUCKETS}{source="web",destination="api",code="200",le="0.01"} ${fast}`,
      `${BUCKETS}{source="web",destination="api",code="200",le="0.1"} ${all}`,
      `${BUCKETS}{source="web",destination="api",code="200",le="+Inf"} ${all}`,
      'faultmesh_requests_in_flight 2',
    ].join('\n'),
    WANTED,
  );
};

describe('what a window of an experiment saw, from two scrapes', () => {
  it('is the rate, the ratios and the quantiles of what the counters rose by', () => {
    const changed = increases(['p1'], [page(100, 0, 100)], [page(190, 10, 150)], () => true);
    const stats = windowStats(changed, 10);
    assert.equal(stats.requests, 100);
    assert.equal(stats.rate, 10);
    assert.equal(stats.errorRatio, 0.1);
    assert.equal(stats.successRatio, 0.9);
    // 50 of the 100 under 10 ms: the median is the top of (0, 10], the p99 49/50 of the way through (10, 100].
    assert.ok(Math.abs(stats.p50Ms! - 10) < 1e-9, `p50 ${stats.p50Ms}`);
    assert.ok(Math.abs(stats.p99Ms! - 98.2) < 1e-9, `p99 ${stats.p99Ms}`);
  });

  it('has no ratio and no latency without a request, rather than zeros', () => {
    const stats = windowStats(increases(['p1'], [page(5, 0, 5)], [page(5, 0, 5)], () => true), 10);
    assert.deepEqual([stats.requests, stats.errorRatio, stats.successRatio, stats.p50Ms, stats.p99Ms], [0, null, null, null, null]);
  });

  it('reads the same quantile the canary and the dashboard read: buckets summed by bound over every other label', () => {
    const bucket = (code: string, le: string, value: number): Sample => ({ name: BUCKETS, labels: { code, le }, value });
    const samples = [bucket('200', '0.01', 30), bucket('200', '+Inf', 40), bucket('503', '0.01', 20), bucket('503', '+Inf', 60)];
    // Summed: 50 under 10 ms of 100; the rest above the last finite bound, so the p99 is that bound.
    assert.equal(quantileMs(0.99, samples), 10);
    assert.equal(quantileMs(0.99, []), undefined);
  });
});
