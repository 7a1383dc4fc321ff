import { formatAllowedPoints, formatConfidence, formatMs, formatP, formatPercent, formatPoints, formatQuantile, formatRatio } from '../../runner/canary/stats/format.js';
/** The columns each check fills in the judgements table, after the judgement's own. */
export const CHECK_HEAD = ['check', 'result', 'stable', 'canary', 'difference / ratio', 'CI', 'p-value', 'samples (stable / canary)', 'threshold', 'reason'];
const NONE = '—';
/** A number the journal may lack (null, or NaN from a record cut short) shows as a dash, never "NaN%". */
const shown = (v, format) => (typeof v === 'number' && Number.isFinite(v) ? format(v) : NONE);
const count = (n) => shown(n, String);
const ci = (confidence) => shown(confidence, formatConfidence).replace(NONE, 'CI');
/** A bound of a ratio's interval, trimmed: 1.153 → "1.15x", 3.1 → "3.1x". */
const ratioBound = (r) => `${Number(r.toFixed(2))}x`;
const proportion = (p) => `${shown(p.ratio, formatPercent)} (${count(p.errors)} of ${count(p.requests)})`;
function errorRatioCells(c) {
    return [
        'error ratio',
        c.outcome,
        proportion(c.stable),
        proportion(c.canary),
        shown(c.difference, (d) => `${formatPoints(d)} points`),
        c.ci ? `${ci(c.confidence)}: ${formatPoints(c.ci[0])}..${formatPoints(c.ci[1])} points` : NONE,
        shown(c.pValue, (p) => `${formatP(p)} (Fisher's exact, one-sided)`),
        `${count(c.stable.requests)} / ${count(c.canary.requests)}`,
        shown(c.maxIncrease, (m) => `canary at most ${formatAllowedPoints(m)} over stable`),
        c.reason,
    ];
}
function latencyCells(c) {
    const mw = c.mannWhitney;
    return [
        Number.isFinite(c.quantile) ? `latency ${formatQuantile(c.quantile)}` : 'latency',
        c.outcome,
        shown(c.stableMs, formatMs),
        shown(c.canaryMs, formatMs),
        shown(c.ratio, formatRatio),
        c.ratioCi ? `${ci(c.confidence)}: ${ratioBound(c.ratioCi[0])}..${ratioBound(c.ratioCi[1])}` : NONE,
        mw ? `${formatP(mw.pValue)} (Mann–Whitney U=${mw.u}, z=${mw.z.toFixed(2)}; P(canary slower)=${mw.probabilityCanarySlower.toFixed(2)})` : NONE,
        `${count(c.stableRequests)} / ${count(c.canaryRequests)}`,
        shown(c.maxRatio, (m) => `ratio at most ${ratioBound(m)}`),
        c.reason,
    ];
}
/** A probe's value as a cell: short JSON, cut so that a large body does not swamp the table. */
function valueText(v) {
    const text = typeof v === 'string' ? v : (JSON.stringify(v) ?? String(v));
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
const probeCells = (c) => [`probe ${c.name}`, c.outcome, NONE, valueText(c.value), NONE, NONE, NONE, NONE, c.tolerance || NONE, c.reason];
/** One check of a judgement as the table's cells, in CHECK_HEAD's order. */
export function checkCells(c) {
    const cells = c.metric === 'error-ratio' ? errorRatioCells(c) : c.metric === 'latency' ? latencyCells(c) : probeCells(c);
    return cells.map((cell) => cell || NONE);
}
//# sourceMappingURL=check-cells.js.map