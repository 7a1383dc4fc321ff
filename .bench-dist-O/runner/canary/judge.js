import { formatAllowedPoints, formatConfidence, formatMs, formatP, formatPercent, formatPoints, formatQuantile, formatRatio, formatRatioBound } from './stats/format.js';
import { mannWhitneyBuckets } from './stats/mann-whitney.js';
import { fisherOneSided, newcombeDifference } from './stats/proportions.js';
import { histogramQuantile, quantileInterval } from './stats/quantile.js';
/**
 * Judges one window of a canary against stable over the same interval:
 * each check needs both a material difference (beyond the user's
 * threshold) and evidence for it (a significant test) to fail, and never
 * passes on too little data. Plain functions of their inputs: the caller
 * turns proxy metrics into SubsetWindows and records what comes back.
 */
/** The error-ratio threshold used when the canary file configures no check at all: one point. */
export const DEFAULT_MAX_INCREASE = 0.01;
/**
 * Latencies below this are floored before dividing: a stable quantile of
 * 0 ms (all in the first bucket, read at its lower bound) would make any
 * ratio infinite, and the proxies do not time finer than this anyway.
 */
export const MIN_DIVISOR_MS = 0.5;
/** Above this error ratio stable is no baseline (it is failing itself): the window is insufficient, never a pass. */
export const MAX_BASELINE_ERROR_RATIO = 0.5;
/** Counters summed over proxies can race by an attempt; the tests need 0 <= errors <= requests. */
function summarize(w) {
    const requests = Math.max(0, Math.round(w.requests));
    const errors = Math.min(requests, Math.max(0, Math.round(w.errors)));
    return { requests, errors, ratio: requests > 0 ? errors / requests : null };
}
const insufficientRequests = (canary, stable, min) => `insufficient data: canary ${canary} requests, stable ${stable}, below minRequests ${min}`;
/**
 * Error ratio: fails when the canary's ratio exceeds stable's by more than
 * `maxIncrease` and Fisher's exact test says the increase is real
 * (p < 1 − confidence); insufficient below minRequests in either subset.
 *
 * @example
 * judgeErrorRatio({ requests: 1000, errors: 3, buckets: [] }, { requests: 1000, errors: 41, buckets: [] }, { minRequests: 200, confidence: 0.95 }).reason
 * // "canary error ratio 4.1% vs stable 0.30% (+3.8 points, 95% CI +2.6..+5.2, p<0.0001): above the allowed +1 point"
 */
export function judgeErrorRatio(stable, canary, s) {
    const maxIncrease = s.errorRatio?.maxIncrease ?? DEFAULT_MAX_INCREASE;
    const st = summarize(stable);
    const ca = summarize(canary);
    const measurable = st.requests > 0 && ca.requests > 0;
    // Computed even when insufficient, so the journal shows what little there was.
    const difference = measurable ? ca.ratio - st.ratio : null;
    const ci = measurable ? newcombeDifference(ca.errors, ca.requests, st.errors, st.requests, s.confidence) : null;
    const pValue = measurable ? fisherOneSided(ca.errors, ca.requests, st.errors, st.requests) : null;
    const base = { metric: 'error-ratio', stable: st, canary: ca, difference, ci, pValue, test: 'fisher-exact', maxIncrease, confidence: s.confidence };
    if (ca.requests < s.minRequests || st.requests < s.minRequests) {
        return { ...base, outcome: 'insufficient', reason: insufficientRequests(ca.requests, st.requests, s.minRequests) };
    }
    // Both subsets failing alike is "within the allowed increase", but it says nothing of the canary's health: with no
    // healthy baseline (an outage, an overloaded host) the window decides nothing, so a canary is never promoted on it.
    if (st.ratio > MAX_BASELINE_ERROR_RATIO) {
        return { ...base, outcome: 'insufficient', reason: `no healthy baseline: stable failed ${formatPercent(st.ratio)} of its requests (canary ${formatPercent(ca.ratio)}), above ${formatPercent(MAX_BASELINE_ERROR_RATIO)}` };
    }
    const material = difference > maxIncrease;
    const significant = pValue < 1 - s.confidence;
    const values = `canary error ratio ${formatPercent(ca.ratio)} vs stable ${formatPercent(st.ratio)} ` +
        `(${formatPoints(difference)} points, ${formatConfidence(s.confidence)} CI ${formatPoints(ci[0])}..${formatPoints(ci[1])}, ${formatP(pValue)})`;
    const allowed = `the allowed ${formatAllowedPoints(maxIncrease)}`;
    if (material && significant)
        return { ...base, outcome: 'fail', reason: `${values}: above ${allowed}` };
    const verdict = material ? `above ${allowed} but not significant at ${formatConfidence(s.confidence)}` : `within ${allowed}`;
    return { ...base, outcome: 'pass', reason: `${values}: ${verdict}` };
}
/** As summarize: a proxy restarting mid-window can leave a negative delta; the tests need whole non-negative counts. */
const cleanBuckets = (buckets) => buckets.map((b) => ({ leMs: b.leMs, count: Math.max(0, Math.round(b.count)) }));
const totalCount = (buckets) => buckets.reduce((sum, b) => sum + b.count, 0);
/** Both histograms' counts on the same bounds, or null when the bounds differ (the test needs shared buckets). */
function alignedCounts(a, b) {
    if (a.length !== b.length || a.some((bucket, i) => bucket.leMs !== b[i].leMs))
        return null;
    return [a.map((x) => x.count), b.map((x) => x.count)];
}
/**
 * Latency at the configured quantile: fails when canary/stable exceeds
 * `maxRatio` and there is evidence the canary is slower, either a
 * one-sided Mann–Whitney test on the whole distributions or a ratio
 * interval wholly above 1. Insufficient when either subset has fewer than
 * minRequests timed attempts.
 *
 * @example judgeLatency(stable, canary, { minRequests: 200, confidence: 0.95, latency: { quantile: 0.99, maxRatio: 1.2 } }).reason
 * // "canary p99 412 ms vs stable 98 ms (4.20x, 95% CI 3.10x..5.60x; Mann–Whitney p<0.0001): above the allowed 1.2x"
 */
export function judgeLatency(stable, canary, s) {
    const { quantile, maxRatio } = s.latency;
    const stableBuckets = cleanBuckets(stable.buckets);
    const canaryBuckets = cleanBuckets(canary.buckets);
    const stableTimed = totalCount(stableBuckets);
    const canaryTimed = totalCount(canaryBuckets);
    const stableMs = histogramQuantile(stableBuckets, quantile);
    const canaryMs = histogramQuantile(canaryBuckets, quantile);
    const stableCi = quantileInterval(stableBuckets, quantile, s.confidence);
    const canaryCi = quantileInterval(canaryBuckets, quantile, s.confidence);
    const ratio = stableMs !== null && canaryMs !== null ? canaryMs / Math.max(stableMs, MIN_DIVISOR_MS) : null;
    const ratioCi = stableCi && canaryCi ? [canaryCi[0] / Math.max(stableCi[1], MIN_DIVISOR_MS), canaryCi[1] / Math.max(stableCi[0], MIN_DIVISOR_MS)] : null;
    const counts = alignedCounts(canaryBuckets, stableBuckets);
    const mannWhitney = counts && stableTimed > 0 && canaryTimed > 0 ? mannWhitneyBuckets(counts[0], counts[1]) : null;
    const base = {
        metric: 'latency',
        quantile,
        stableMs,
        canaryMs,
        ratio,
        ratioCi,
        maxRatio,
        mannWhitney,
        stableRequests: Math.max(0, Math.round(stable.requests)),
        canaryRequests: Math.max(0, Math.round(canary.requests)),
        confidence: s.confidence,
    };
    const label = formatQuantile(quantile);
    if (base.canaryRequests < s.minRequests || base.stableRequests < s.minRequests) {
        return { ...base, outcome: 'insufficient', reason: insufficientRequests(base.canaryRequests, base.stableRequests, s.minRequests) };
    }
    if (canaryTimed < s.minRequests || stableTimed < s.minRequests) {
        const reason = `insufficient ${label} latency data: canary ${canaryTimed} of ${base.canaryRequests} requests timed, ` +
            `stable ${stableTimed} of ${base.stableRequests}, below minRequests ${s.minRequests}`;
        return { ...base, outcome: 'insufficient', reason };
    }
    if (ratio === null || stableMs === null || canaryMs === null) {
        return { ...base, outcome: 'insufficient', reason: `insufficient ${label} latency data: the histograms have no finite bucket` };
    }
    const alpha = 1 - s.confidence;
    const slower = (mannWhitney !== null && mannWhitney.pValue < alpha) || (ratioCi !== null && ratioCi[0] > 1);
    const interval = ratioCi ? `, ${formatConfidence(s.confidence)} CI ${formatRatio(ratioCi[0])}..${formatRatio(ratioCi[1])}` : '';
    const test = mannWhitney ? `Mann–Whitney ${formatP(mannWhitney.pValue)}` : 'Mann–Whitney not computed: the histograms have different buckets';
    const values = `canary ${label} ${formatMs(canaryMs)} vs stable ${formatMs(stableMs)} (${formatRatio(ratio)}${interval}; ${test})`;
    const allowed = `the allowed ${formatRatioBound(maxRatio)}`;
    if (ratio > maxRatio && slower)
        return { ...base, outcome: 'fail', reason: `${values}: above ${allowed}` };
    const verdict = ratio > maxRatio ? `above ${allowed} but not significant at ${formatConfidence(s.confidence)}` : `within ${allowed}`;
    return { ...base, outcome: 'pass', reason: `${values}: ${verdict}` };
}
/**
 * Every configured check on one window, and the window's outcome: fail if
 * any failed, else insufficient if any lacked data, else pass. The reason
 * is what decided it: the failing checks' reasons (or the insufficient
 * ones', or all of them on a pass), joined by "; ".
 *
 * @example judgeWindow(stable, canary, { minRequests: 200, confidence: 0.95, errorRatio: { maxIncrease: 0.01 } }).outcome // 'pass'
 */
export function judgeWindow(stable, canary, s) {
    const checks = [];
    if (s.errorRatio)
        checks.push(judgeErrorRatio(stable, canary, s));
    if (s.latency)
        checks.push(judgeLatency(stable, canary, { ...s, latency: s.latency }));
    // A canary file with no analysis still gets judged: a release that nothing
    // checks would pass silently, so the error ratio at +1 point is the default.
    if (checks.length === 0)
        checks.push(judgeErrorRatio(stable, canary, { ...s, errorRatio: { maxIncrease: DEFAULT_MAX_INCREASE } }));
    const outcome = checks.some((c) => c.outcome === 'fail') ? 'fail' : checks.some((c) => c.outcome === 'insufficient') ? 'insufficient' : 'pass';
    const deciding = outcome === 'pass' ? checks : checks.filter((c) => c.outcome === outcome);
    // Both checks can lack data for the same reason (too few requests): say it once.
    const reason = [...new Set(deciding.map((c) => c.reason))].join('; ');
    return { outcome, checks, reason };
}
//# sourceMappingURL=judge.js.map