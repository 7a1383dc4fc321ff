import { svgChart } from '../svg-chart.js';
const pct = (y) => `${(y * 100).toFixed(y < 0.1 && y > 0 ? 1 : 0)}%`;
const num = (y) => (Math.abs(y) >= 100 ? y.toFixed(0) : Number(y.toPrecision(3)).toString());
/**
 * The canary weight as a step line: it holds each value until the next
 * change, so each change is drawn as a vertical edge. Before the first
 * change the canary had 0% (a canary starts from the mesh's "all on stable").
 */
function weightSteps(j, sec, xMax) {
    const changes = j.weights.length ? j.weights.map((w) => [sec(w.at), w.weight]) : j.timeseries.map((p) => [sec(p.t), p.weight]);
    const out = [[0, 0]];
    for (const [t, w] of changes)
        out.push([t, out.at(-1)[1]], [t, w]);
    out.push([Math.max(xMax, out.at(-1)[0]), out.at(-1)[1]]);
    return out;
}
/**
 * The report's charts over the canary's time: weight, error ratio, p99
 * and request rate, stable against canary; every chaos stage shaded and
 * every judgement marked on top (green pass, red fail, grey insufficient).
 */
export function canaryCharts(j, sec, xMax) {
    const windows = j.chaos.map((c) => ({ from: sec(c.start), to: c.end ? sec(c.end) : xMax, label: `chaos: ${c.experiment}` }));
    const marks = j.judgements.map((g) => ({ at: sec(g.at), label: `judgement, step ${g.step} at ${g.weight}%`, ok: g.outcome === 'pass', neutral: g.outcome === 'insufficient', word: g.outcome }));
    const bySubset = (pick) => ['stable', 'canary'].map((subset) => ({ name: subset, points: j.timeseries.map((p) => [sec(p.t), pick(p[subset])]) }));
    const chart = (key, title, series, format, yAtLeast) => ({
        key,
        title,
        svg: svgChart({ title, series, windows, marks, xMax, format, ...(yAtLeast === undefined ? {} : { yAtLeast }) }),
    });
    return [
        chart('weight', 'Canary weight (% of traffic)', [{ name: 'canary weight', points: weightSteps(j, sec, xMax) }], (y) => `${y}%`, 100),
        chart('errors', 'Error ratio, canary vs stable', bySubset((p) => p.errorRatio), pct, 0.05),
        chart('p99', 'p99 latency (ms), canary vs stable', bySubset((p) => p.p99Ms), num),
        chart('rate', 'Request rate per subset (req/s)', bySubset((p) => p.rate), num),
    ];
}
//# sourceMappingURL=canary-charts.js.map