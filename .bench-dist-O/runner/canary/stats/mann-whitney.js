import { upperTail } from './normal.js';
function checkCounts(counts, what) {
    let total = 0;
    for (const c of counts) {
        if (!Number.isInteger(c) || c < 0)
            throw new RangeError(`${what}: bucket counts must be non-negative integers, got ${c}`);
        total += c;
    }
    if (total === 0)
        throw new RangeError(`${what}: no observations`);
    return total;
}
/**
 * Mann–Whitney U test on two histograms with the same bucket boundaries
 * (counts per bucket, not cumulative), as Kayenta compares canary and
 * baseline: a histogram says only which bucket a latency fell in, so every
 * value in a bucket is a tie with every other value in it.
 *
 * The p-value is one-sided, for "canary is larger", from the normal
 * approximation; at these sample sizes (hundreds of attempts per window)
 * the exact distribution is not needed, and with heavy ties it is not
 * available in closed form anyway.
 *
 * @example mannWhitneyBuckets([0, 1, 9], [9, 1, 0]).probabilityCanarySlower // 0.995
 */
export function mannWhitneyBuckets(canary, stable) {
    if (canary.length !== stable.length)
        throw new RangeError(`the histograms have different buckets: ${canary.length} against ${stable.length}`);
    const n1 = checkCounts(canary, 'canary');
    const n2 = checkCounts(stable, 'stable');
    let u = 0;
    let stableBelow = 0;
    let tieTerm = 0;
    for (let i = 0; i < canary.length; i++) {
        const c = canary[i];
        const s = stable[i];
        u += c * (stableBelow + s / 2);
        stableBelow += s;
        const t = c + s;
        tieTerm += t * t * t - t;
    }
    const n = n1 + n2;
    const mean = (n1 * n2) / 2;
    const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
    const probabilityCanarySlower = u / (n1 * n2);
    // Every value tied (one bucket holds them all): U is fixed, so the data is
    // exactly what the null hypothesis predicts, and nothing says "slower".
    if (!(variance > 0))
        return { u, z: 0, pValue: 1, probabilityCanarySlower };
    // The continuity correction for a one-sided "greater" test, as scipy's mannwhitneyu does it.
    const z = (u - mean - 0.5) / Math.sqrt(variance);
    return { u, z, pValue: upperTail(z), probabilityCanarySlower };
}
//# sourceMappingURL=mann-whitney.js.map