import jStat from 'jstat';
import { twoSidedZ } from './normal.js';
/**
 * Proportions of failed attempts: an exact test and score intervals. Every
 * function takes counts, and throws a RangeError for counts that are not
 * counts (negative, fractional, more errors than attempts, no attempts);
 * a caller that may have no attempts checks first and records null.
 */
function checkCount(x, n, what) {
    if (!Number.isInteger(n) || n <= 0)
        throw new RangeError(`${what}: attempts must be a positive integer, got ${n}`);
    if (!Number.isInteger(x) || x < 0 || x > n)
        throw new RangeError(`${what}: errors must be an integer from 0 to ${n}, got ${x}`);
}
const clamp01 = (v) => Math.min(1, Math.max(0, v));
/**
 * One-sided p-value of Fisher's exact test for "the canary's error
 * proportion is higher than stable's": the upper tail of the hypergeometric
 * distribution of canary errors, given the table's margins.
 *
 * Exact for every count, so a canary with a handful of requests is judged
 * as fairly as one with thousands (the normal approximation is not).
 *
 * @example fisherOneSided(3, 4, 1, 4) // 0.2429 (17/70), Fisher's lady tasting tea
 */
export function fisherOneSided(canaryErrors, canaryN, stableErrors, stableN) {
    checkCount(canaryErrors, canaryN, 'canary');
    checkCount(stableErrors, stableN, 'stable');
    if (canaryErrors === 0)
        return 1;
    const population = canaryN + stableN;
    const errors = canaryErrors + stableErrors;
    // P(X >= k) = 1 − P(X <= k − 1); jStat's cdf is an O(n) recurrence, where summing the tail's pdfs would be O(n) per term.
    return clamp01(1 - jStat.hypgeom.cdf(canaryErrors - 1, population, errors, canaryN));
}
/**
 * Wilson's score interval for x errors in n attempts, two-sided at
 * `confidence`. Unlike the Wald interval it stays inside [0, 1] and does
 * not collapse to a point at 0 or n errors.
 *
 * @example wilson(81, 263, 0.95) // [0.2553, 0.3662] (Newcombe 1998)
 */
export function wilson(x, n, confidence) {
    checkCount(x, n, 'wilson');
    const z = twoSidedZ(confidence);
    const p = x / n;
    const z2 = z * z;
    const denominator = 1 + z2 / n;
    const centre = (p + z2 / (2 * n)) / denominator;
    const half = (z / denominator) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
    // At x = 0 (or n) the bound is exactly 0 (or 1); rounding can leave it a hair outside.
    return [x === 0 ? 0 : clamp01(centre - half), x === n ? 1 : clamp01(centre + half)];
}
/**
 * Interval of p1 − p2 (x1/n1 − x2/n2), two-sided at `confidence`, by
 * Newcombe's hybrid score method (method 10 of his 1998 paper): each
 * proportion's Wilson interval, combined as the square root of the sum of
 * squared distances from each estimate to the bound on the relevant side.
 *
 * @example newcombeDifference(56, 70, 48, 80, 0.95) // [0.0524, 0.3339] (Newcombe 1998)
 */
export function newcombeDifference(x1, n1, x2, n2, confidence) {
    checkCount(x1, n1, 'first proportion');
    checkCount(x2, n2, 'second proportion');
    const p1 = x1 / n1;
    const p2 = x2 / n2;
    const [l1, u1] = wilson(x1, n1, confidence);
    const [l2, u2] = wilson(x2, n2, confidence);
    const d = p1 - p2;
    return [d - Math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2), d + Math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)];
}
//# sourceMappingURL=proportions.js.map