import { escapeHtml } from './escape.js';

export interface ChartSeries {
  readonly name: string;
  /** [seconds since the run started, value]; null leaves a gap. */
  readonly points: ReadonlyArray<readonly [number, number | null]>;
  /** Points only, no line: for probe values taken now and then. */
  readonly dots?: boolean;
}

export interface ChartWindow {
  readonly from: number;
  readonly to: number;
  readonly label: string;
}

export interface ChartMark {
  readonly at: number;
  readonly label: string;
  readonly ok: boolean;
  /** Neither met nor not met (a canary judgement without enough data): grey, whatever `ok` says. */
  readonly neutral?: boolean;
  /** The word after the label in the mark's tooltip, instead of "met" / "NOT met". */
  readonly word?: string;
}

export interface ChartInput {
  readonly title: string;
  /** Formats a y value for the axis, e.g. as a percentage. */
  readonly format: (y: number) => string;
  readonly series: readonly ChartSeries[];
  readonly windows: readonly ChartWindow[];
  readonly marks: readonly ChartMark[];
  readonly xMax: number;
  /** The y axis reaches at least this (1 for ratios), whatever the data. */
  readonly yAtLeast?: number;
}

const W = 720;
const H = 260;
const PAD = { left: 56, right: 16, top: 34, bottom: 52 };
const COLORS = ['#2563eb', '#d97706', '#059669', '#9333ea', '#dc2626', '#0891b2', '#65a30d', '#db2777'];

/** Round steps for an axis: 1, 2 or 5 times a power of ten, about `count` of them up to `max`. */
function niceTicks(max: number, count: number): number[] {
  if (!(max > 0)) return [0, 1];
  const raw = max / count;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * pow).find((s) => s >= raw) ?? raw;
  const ticks = [];
  for (let v = 0; v <= max + step * 0.999; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

/**
 * A line chart as self-contained SVG: one line per series over the run's
 * time, fault windows shaded and labelled, hypothesis checks marked on top.
 * Scales with its container (viewBox), prints, and needs no script.
 */
export function svgChart(c: ChartInput): string {
  const ys = c.series.flatMap((s) => s.points.map((p) => p[1]).filter((y): y is number => y !== null));
  const yTicks = niceTicks(Math.max(c.yAtLeast ?? 0, ...ys, 0) || 1, 4);
  const yMax = yTicks.at(-1)!;
  const xTicks = niceTicks(Math.max(c.xMax, 1), 6);
  const xMax = xTicks.at(-1)!;
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const x = (s: number) => PAD.left + (s / xMax) * plotW;
  const y = (v: number) => PAD.top + plotH - (v / yMax) * plotH;
  const f = (n: number) => n.toFixed(1);
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" role="img" aria-label="${escapeHtml(c.title)}" class="chart" font-family="system-ui, sans-serif" font-size="11">`);
  out.push(`<title>${escapeHtml(c.title)}</title>`, `<rect x="0" y="0" width="${W}" height="${H}" fill="#fff"/>`);
  out.push(`<text x="${PAD.left}" y="16" font-size="13" font-weight="600" fill="#111">${escapeHtml(c.title)}</text>`);
  for (const w of c.windows) {
    const x0 = x(Math.max(0, w.from));
    const x1 = x(Math.min(xMax, w.to));
    out.push(`<g class="fault-window"><title>${escapeHtml(`fault ${w.label}: ${w.from.toFixed(1)}s to ${w.to.toFixed(1)}s`)}</title><rect x="${f(x0)}" y="${PAD.top}" width="${f(Math.max(1, x1 - x0))}" height="${plotH}" fill="#f59e0b" fill-opacity="0.16" stroke="#f59e0b" stroke-opacity="0.5"/><text x="${f(x0 + 3)}" y="${PAD.top + 11}" fill="#92400e">${escapeHtml(w.label)}</text></g>`);
  }
  for (const t of yTicks) out.push(`<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${f(y(t))}" y2="${f(y(t))}" stroke="#e5e7eb"/><text x="${PAD.left - 6}" y="${f(y(t) + 4)}" text-anchor="end" fill="#4b5563">${escapeHtml(c.format(t))}</text>`);
  for (const t of xTicks) out.push(`<text x="${f(x(t))}" y="${H - PAD.bottom + 15}" text-anchor="middle" fill="#4b5563">${t}s</text>`);
  out.push(`<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${PAD.top + plotH}" y2="${PAD.top + plotH}" stroke="#9ca3af"/>`);
  for (const m of c.marks) {
    const color = m.neutral ? '#6b7280' : m.ok ? '#059669' : '#dc2626';
    out.push(`<g class="check"><title>${escapeHtml(`${m.label} at ${m.at.toFixed(1)}s: ${m.word ?? (m.ok ? 'met' : 'NOT met')}`)}</title><line x1="${f(x(m.at))}" x2="${f(x(m.at))}" y1="${PAD.top - 4}" y2="${PAD.top + plotH}" stroke="${color}" stroke-dasharray="3 3"/><circle cx="${f(x(m.at))}" cy="${PAD.top - 6}" r="4" fill="${color}"/></g>`);
  }
  c.series.forEach((s, i) => {
    const color = COLORS[i % COLORS.length]!;
    const segments: string[][] = [[]];
    for (const [sx, sy] of s.points) {
      if (sy === null) segments.push([]);
      else segments.at(-1)!.push(`${f(x(sx))},${f(y(sy))}`);
    }
    const data = s.points.filter((p) => p[1] !== null).length;
    out.push(`<g class="series" data-name="${escapeHtml(s.name)}" data-points="${data}">`);
    if (!s.dots) for (const seg of segments) if (seg.length > 1) out.push(`<polyline fill="none" stroke="${color}" stroke-width="2" points="${seg.join(' ')}"/>`);
    for (const [sx, sy] of s.points) if (sy !== null && (s.dots || s.points.length < 3)) out.push(`<circle cx="${f(x(sx))}" cy="${f(y(sy))}" r="3" fill="${color}"><title>${escapeHtml(`${s.name}: ${c.format(sy)} at ${sx.toFixed(1)}s`)}</title></circle>`);
    out.push('</g>');
    out.push(`<g><rect x="${PAD.left + i * 150}" y="${H - 18}" width="10" height="10" fill="${color}"/><text x="${PAD.left + i * 150 + 14}" y="${H - 9}" fill="#111">${escapeHtml(s.name)}</text></g>`);
  });
  if (ys.length === 0) out.push(`<text x="${W / 2}" y="${PAD.top + plotH / 2}" text-anchor="middle" fill="#6b7280">no samples</text>`);
  out.push('</svg>');
  return out.join('\n');
}
