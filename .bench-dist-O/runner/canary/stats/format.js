/**
 * Numbers as a judgement's reason prints them: short, and precise where it
 * matters (small error ratios, p-values near the threshold).
 */
const trim = (v, decimals) => String(Number(v.toFixed(decimals)));
/** 0.041 → "4.1%"; below 1%, two decimals: 0.003 → "0.30%"; 0 → "0%". */
export function formatPercent(ratio) {
    if (ratio === 0)
        return '0%';
    const pct = ratio * 100;
    return `${pct.toFixed(Math.abs(pct) < 1 ? 2 : 1)}%`;
}
/** A difference of ratios in percentage points, signed: 0.038 → "+3.8", -0.0025 → "-0.25". */
export function formatPoints(difference) {
    const pts = difference * 100;
    const text = pts.toFixed(Math.abs(pts) < 1 ? 2 : 1);
    return pts >= 0 || Number(text) === 0 ? `+${text.replace(/^-/, '')}` : text;
}
/** A threshold in points, as the user wrote it: 0.01 → "+1 point", 0.005 → "+0.5 points". */
export function formatAllowedPoints(maxIncrease) {
    const pts = trim(maxIncrease * 100, 2);
    return `+${pts} point${pts === '1' ? '' : 's'}`;
}
/** "p=0.012", "p=0.00031", "p<0.0001". */
export function formatP(p) {
    if (p < 0.0001)
        return 'p<0.0001';
    if (p < 0.001)
        return `p=${p.toFixed(5).replace(/0+$/, '')}`;
    return `p=${Number(p.toPrecision(2))}`;
}
/** 0.95 → "95%", 0.999 → "99.9%". */
export const formatConfidence = (confidence) => `${trim(confidence * 100, 2)}%`;
/** 0.99 → "p99", 0.999 → "p99.9", 0.5 → "p50". */
export const formatQuantile = (q) => `p${trim(q * 100, 3)}`;
/** 412.3 → "412 ms", 4.25 → "4.3 ms", 0.5 → "0.5 ms". */
export function formatMs(ms) {
    return `${ms >= 10 ? Math.round(ms) : Number(ms.toPrecision(2))} ms`;
}
/** A ratio of latencies, or a bound of its interval: 4.2 → "4.20x". Two decimals, so 1.19x and 1.2x never print alike. */
export const formatRatio = (ratio) => `${ratio.toFixed(2)}x`;
/** A ratio trimmed of trailing zeros, for thresholds as the user wrote them: 1.2 → "1.2x", 1.153 → "1.15x". */
export const formatRatioBound = (ratio) => `${trim(ratio, 2)}x`;
//# sourceMappingURL=format.js.map