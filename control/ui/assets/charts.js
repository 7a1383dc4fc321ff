// Three small uPlot charts (requests/s, error ratio, p99) with one line per
// destination, fed by each `metrics` event. uPlot is the package's own
// build, loaded as a classic script before this module (window.uPlot).

const PALETTE = ['#3b82f6', '#f97316', '#10b981', '#e11d48', '#8b5cf6', '#eab308', '#06b6d4', '#ec4899', '#84cc16', '#64748b'];

const CHARTS = [
  { id: 'chart-rps', field: 'rps', least: 1, value: (v) => (v == null ? '–' : `${v >= 10 ? Math.round(v) : v.toFixed(1)}/s`) },
  { id: 'chart-err', field: 'errorRatio', least: 0.05, value: (v) => (v == null ? '–' : `${(v * 100).toFixed(1)}%`) },
  // Whole seconds past 1000 ms keep the label short enough for the axis ("1.5 s", never a clipped "000 ms"); tenths below 10 ms keep ticks apart.
  { id: 'chart-p99', field: 'p99Ms', least: 10, value: (v) => (v == null ? '–' : v >= 1000 ? `${(v / 1000).toFixed(1)} s` : `${v >= 10 ? Math.round(v) : v.toFixed(1)} ms`) },
];

/** The charts show at least the last minute, ending at the newest scrape: one or two points do not stretch the axis over years. */
const SPAN_S = 60;
let end = Date.now() / 1000;

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
    scales: {
      x: { time: true, range: (_u, min) => [Math.min(min ?? end, end - SPAN_S), end] },
      y: { range: (_u, _min, max) => [0, Math.max(max ?? 0, chart.least)] },
    },
    axes: [
      { stroke: fg, grid: { stroke: grid }, ticks: { stroke: grid } },
      { stroke: fg, grid: { stroke: grid }, ticks: { stroke: grid }, size: 64, values: (_u, vals) => vals.map((v) => chart.value(v)) },
    ],
    series: [{}, ...destinations.map((d, i) => ({ label: d, stroke: PALETTE[i % PALETTE.length], width: 1.5, spanGaps: false, value: (_u, v) => chart.value(v) }))],
  };
  el.replaceChildren();
  made.set(chart.id, new window.uPlot(opts, data, el));
}

/** Draws (or updates) every chart from a metrics frame; a new set of destinations or a theme change makes them anew. */
export function drawCharts(frame) {
  if (!window.uPlot) return;
  end = frame.at / 1000;
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
