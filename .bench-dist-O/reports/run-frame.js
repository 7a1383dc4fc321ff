import { svgChart } from './svg-chart.js';
export const pct = (y) => `${(y * 100).toFixed(y < 0.1 && y > 0 ? 1 : 0)}%`;
export const num = (y) => (Math.abs(y) >= 100 ? y.toFixed(0) : Number(y.toPrecision(3)).toString());
/**
 * A check's mark sits where its probes measured: in the middle of the
 * span from the first probe's start to the last one's end, with that span
 * drawn as a bracket (a metric probe's value covers its whole window).
 */
function checkMark(label, h, sec) {
    const starts = h.probes.map((p) => sec(p.start));
    const ends = h.probes.map((p) => sec(p.end));
    if (!starts.length)
        return { at: sec(h.at), label, ok: h.met };
    const from = Math.min(...starts);
    const to = Math.max(...ends);
    return { at: (from + to) / 2, from, to, label, ok: h.met };
}
export function runFrame(j, sec, xMax) {
    const windows = j.faults.map((f) => ({ from: sec(f.injectedAt), to: f.removedAt ? sec(f.removedAt) : xMax, label: f.activity }));
    const checks = [['steady state before', j.steady_states.before], ...j.steady_states.during.map((h) => ['steady state during', h]), ['steady state after', j.steady_states.after]];
    const marks = checks.flatMap(([label, h]) => (h ? [checkMark(label, h, sec)] : []));
    const half = j.timeseries.intervalMs / 2000;
    // Older journals' points have no `from`: each covers the interval before its time.
    const at = (p) => (p.from ? (sec(p.from) + sec(p.t)) / 2 : sec(p.t) - half);
    const chart = (key, input, note) => ({ key, title: input.title, svg: svgChart({ windows, marks, xMax, ...input }), ...(note ? { note } : {}) });
    return { j, sec, xMax, windows, marks, at, chart };
}
//# sourceMappingURL=run-frame.js.map