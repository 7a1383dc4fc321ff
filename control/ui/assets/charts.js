// Three small uPlot charts (requests/s, error ratio, p99) with one line per
// destination, fed by each `metrics` event. uPlot is the package's own
// build, loaded as a classic script before this module (window.uPlot).

const PALETTE = ['#3b82f6', '#f97316', '#10b981', '#e11d48', '#8b5cf6', '#eab308', '#06b6d4', '#ec4899', '#84cc16', '#64748b'];

const CHARTS = [
  { id: 'chart-rps', field: 'rps', value: (v) => (v == null ? '–' : `${v >= 10 ? Math.round(v) : v.toFixed(1)}/s`) },
  { id: 'chart-err', field: 'errorRatio', value: (v) => (v == null ? '–' : `${(v * 100).toFixed(1)}%`) },
  { id: 'chart-p99', field: 'p99Ms', value: (v) => (v == null ? '–' : `${Math.round(v)} ms`) },
];

const made = new Map();
let names = '';
let theme = '';

const css = (name) => getComputedStyle(document.documentElement).getPropertyValue(name).trim();

function widthOf(el) {
  return Math.max(240, Math.floor(el.getBoundingClientRect().width || 320));
}

function create(chart, destinations, data) {
  const el = document.getElementById(chart.id);
  const fg = css('--muted') || '#666';
  const grid = css('--grid') || 'rgba(128,128,128,.2)';
  const opts = {
    width: widthOf(el),
    height: 150,
    legend: { show: true, live: false },
    cursor: { drag: { x: false, y: false } },
    scales: { x: { time: true }, y: { range: (_u, min, max) => [0, Math.max(max, chart.field === 'errorRatio' ? 0.05 : 1)] } },
    axes: [
      { stroke: fg, grid: { stroke: grid }, ticks: { stroke: grid } },
      { stroke: fg, grid: { stroke: grid }, ticks: { stroke: grid }, size: 58, values: (_u, vals) => vals.map((v) => chart.value(v)) },
    ],
    series: [{}, ...destinations.map((d, i) => ({ label: d, stroke: PALETTE[i % PALETTE.length], width: 1.5, spanGaps: false, value: (_u, v) => chart.value(v) }))],
  };
  el.replaceChildren();
  made.set(chart.id, new window.uPlot(opts, data, el));
}

/** Draws (or updates) every chart from a metrics frame; a new set of destinations or a theme change makes them anew. */
export function drawCharts(frame) {
  if (!window.uPlot) return;
  const destinations = Object.keys(frame.series.destinations).sort();
  const key = destinations.join('\u0000');
  const now = document.documentElement.dataset.theme ?? '';
  const fresh = key !== names || now !== theme;
  names = key;
  theme = now;
  for (const chart of CHARTS) {
    const data = [frame.series.t, ...destinations.map((d) => frame.series.destinations[d][chart.field])];
    const existing = made.get(chart.id);
    if (fresh || !existing) {
      existing?.destroy();
      create(chart, destinations, data);
    } else existing.setData(data);
  }
}

/** Keeps the charts as wide as their panels. */
export function watchChartSizes() {
  const observer = new ResizeObserver(() => {
    for (const chart of CHARTS) {
      const u = made.get(chart.id);
      if (u) u.setSize({ width: widthOf(document.getElementById(chart.id)), height: 150 });
    }
  });
  for (const chart of CHARTS) observer.observe(document.getElementById(chart.id));
}

/** Forget the drawn charts so the next frame draws them in the new colours. */
export function resetCharts() {
  theme = '\u0000';
}
