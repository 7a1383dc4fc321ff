import { escapeHtml as e } from './escape.js';
import { chartLegend, laneLabels, windowLabels, type Legend } from './chart-layout.js';
import { distinctLabels, niceTicks, textWidth, wrapText } from './chart-text.js';

export interface ChartSeries {
  readonly name: string;
  /** [seconds since the run started, value]; null leaves a gap. */
  readonly points: ReadonlyArray<readonly [number, number | null]>;
  /** Points only, no line: for probe values taken now and then. */
  readonly dots?: boolean;
  /** Per point, the seconds it covers, drawn as a whisker: a probe's value is measured over a window. */
  readonly spans?: ReadonlyArray<readonly [number, number] | undefined>;
  /** Thin and light: context behind the other series. */
  readonly faint?: boolean;
  readonly color?: string;
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
  /** The seconds its probes measured, drawn as a bracket around the dot. */
  readonly from?: number;
  readonly to?: number;
}

/** What a tolerance allows, on the y axis: from `low` to `high` (null: open), a line when both are equal. */
export interface ChartBand {
  readonly low: number | null;
  readonly high: number | null;
  readonly label: string;
}

/** Something that happened at a moment (an ejection), marked on the time axis under the plot with its label. */
export interface ChartEvent {
  readonly at: number;
  readonly label: string;
  readonly title: string;
}

export interface ChartInput {
  readonly title: string;
  /** Formats a y value for the axis, e.g. as a percentage; with `decimals`, exactly that many (so tick labels can be told apart). */
  readonly format: (y: number, decimals?: number) => string;
  readonly series: readonly ChartSeries[];
  readonly windows: readonly ChartWindow[];
  readonly marks: readonly ChartMark[];
  readonly xMax: number;
  /** The y axis reaches at least this (1 for ratios), whatever the data. */
  readonly yAtLeast?: number;
  /** Where the y axis starts (default 0). */
  readonly yMin?: number;
  /** Series drawn as areas stacked on each other (their points share the same times). */
  readonly stacked?: boolean;
  readonly bands?: readonly ChartBand[];
  readonly events?: readonly ChartEvent[];
  /** Said in the middle when there is no point to draw. */
  readonly empty?: string;
  /** Said over the plot whatever the data: what a flat line means ("callers saw no errors"). */
  readonly notice?: string;
}

/** The picture's width in its own units; it scales to its box, and 460 keeps 14-unit text at 11 px or more in a 380 px box. */
export const CHART_WIDTH = 460;
export const FONT = 14;
const TITLE_FONT = 15;
const PLOT_H = 150;
export const COLORS = ['#2563eb', '#d97706', '#059669', '#9333ea', '#dc2626', '#0891b2', '#65a30d', '#db2777'];
const EVENT_COLOR = '#7c3aed';

const f = (n: number) => n.toFixed(1);
/** Text that stays readable over lines and bands: a white halo behind it. */
const halo = 'paint-order="stroke" stroke="#fff" stroke-width="3" stroke-linejoin="round"';

/** Each series' values stacked on those before it, point by point: [lower, upper] per point. */
function stackOf(series: readonly ChartSeries[]): Array<Array<readonly [number, number]>> {
  const base: number[] = [];
  return series.map((s) => s.points.map((p, i) => {
    const low = base[i] ?? 0;
    base[i] = low + (p[1] ?? 0);
    return [low, base[i]] as const;
  }));
}

/**
 * A line chart (or stacked areas) as self-contained SVG: one line per
 * series over the run's time, fault windows shaded and labelled, checks
 * marked on top, tolerances as bands, events on a lane under the axis.
 * It scales with its container (viewBox), prints, and needs no script;
 * its text is laid out so that no label leaves the picture or covers another.
 */
export function svgChart(c: ChartInput): string {
  const W = CHART_WIDTH;
  const stacks = c.stacked ? stackOf(c.series) : undefined;
  const ys = stacks ? stacks.flatMap((s) => s.map((p) => p[1])) : c.series.flatMap((s) => s.points.map((p) => p[1]).filter((y): y is number => y !== null));
  const bandValues = (c.bands ?? []).flatMap((b) => [b.low, b.high]).filter((v): v is number => v !== null);
  const yMin = c.yMin ?? 0;
  const yTicks = niceTicks(yMin, Math.max(c.yAtLeast ?? 0, ...ys, ...bandValues, yMin) || yMin + 1, 4);
  const [y0, yMax] = [yTicks[0]!, yTicks.at(-1)!];
  const yLabels = distinctLabels(yTicks, c.format);
  const left = Math.max(36, ...yLabels.map((l) => textWidth(l, FONT) + 12));
  const right = 14;
  const plotW = W - left - right;
  const xTicks = niceTicks(0, Math.max(c.xMax, 1), Math.max(2, Math.min(6, Math.floor(plotW / 64))));
  const xMax = xTicks.at(-1)!;
  // The title is bold, which DejaVu Sans draws about a tenth wider than the estimate.
  const titleLines = wrapText(c.title, TITLE_FONT, (W - 16) / 1.12, 2);
  // Room under the title for the marks, or else for the top tick label, which sits 5 units under its line.
  const top = 10 + titleLines.length * 19 + (c.marks.length ? 16 : 10);
  const bottom = top + PLOT_H;
  const x = (s: number) => left + (Math.min(Math.max(s, 0), xMax) / xMax) * plotW;
  const y = (v: number) => bottom - ((Math.min(Math.max(v, y0), yMax) - y0) / (yMax - y0)) * PLOT_H;
  const lane = laneLabels((c.events ?? []).map((ev) => ({ x: x(ev.at), label: ev.label })), W, FONT);
  const laneTop = bottom + 26;
  const legendItems = [
    ...c.series.map((s, i) => ({ name: s.name, color: s.color ?? COLORS[i % COLORS.length]! })),
    ...(c.bands?.length ? [{ name: c.bands.map((b) => b.label).join(', '), color: '#10b981' }] : []),
    ...(c.events?.length ? [{ name: 'ejection', color: EVENT_COLOR }] : []),
  ];
  const legend: Legend = chartLegend(legendItems, W, FONT, laneTop + lane.rows * 18 + 6);
  const H = legend.bottom + 8;

  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" role="img" aria-label="${e(c.title)}" class="chart" font-family="system-ui, sans-serif" font-size="${FONT}">`);
  out.push(`<title>${e(c.title)}</title>`, `<rect x="0" y="0" width="${W}" height="${H}" fill="#fff"/>`);
  titleLines.forEach((line, i) => out.push(`<text class="chart-title" x="8" y="${22 + i * 19}" font-size="${TITLE_FONT}" font-weight="600" fill="#111">${e(line)}</text>`));
  for (const w of c.windows) {
    const x0 = x(w.from);
    out.push(`<g class="fault-window"><title>${e(`fault ${w.label}: ${w.from.toFixed(1)}s to ${w.to.toFixed(1)}s`)}</title><rect x="${f(x0)}" y="${top}" width="${f(Math.max(1, x(w.to) - x0))}" height="${PLOT_H}" fill="#f59e0b" fill-opacity="0.16" stroke="#f59e0b" stroke-opacity="0.5"/></g>`);
  }
  for (const b of c.bands ?? []) {
    const hi = y(b.high ?? yMax);
    const lo = y(b.low ?? y0);
    const line = b.low !== null && b.low === b.high;
    out.push(`<g class="tolerance"><title>${e(`tolerance: ${b.label}`)}</title>${line ? '' : `<rect x="${f(left)}" y="${f(hi)}" width="${f(plotW)}" height="${f(Math.max(1, lo - hi))}" fill="#10b981" fill-opacity="0.12"/>`}${[b.low, b.high].filter((v): v is number => v !== null).map((v) => `<line x1="${f(left)}" x2="${f(W - right)}" y1="${f(y(v))}" y2="${f(y(v))}" stroke="#059669" stroke-width="1.5" stroke-dasharray="6 3"/>`).join('')}</g>`);
  }
  yTicks.forEach((t, i) => out.push(`<line x1="${f(left)}" x2="${W - right}" y1="${f(y(t))}" y2="${f(y(t))}" stroke="#e5e7eb"/><text class="tick" x="${f(left - 6)}" y="${f(y(t) + 5)}" text-anchor="end" fill="#4b5563">${e(yLabels[i]!)}</text>`));
  for (const t of xTicks) out.push(`<text class="tick" x="${f(x(t))}" y="${bottom + 18}" text-anchor="${t === 0 ? 'start' : t === xMax ? 'end' : 'middle'}" fill="#4b5563">${t}s</text>`);
  out.push(`<line x1="${f(left)}" x2="${W - right}" y1="${bottom}" y2="${bottom}" stroke="#9ca3af"/>`);
  c.series.forEach((s, i) => {
    const color = s.color ?? COLORS[i % COLORS.length]!;
    const data = s.points.filter((p) => p[1] !== null).length;
    out.push(`<g class="series" data-name="${e(s.name)}" data-points="${data}">`);
    if (stacks) {
      const band = stacks[i]!;
      const upper = band.map((p, k) => `${f(x(s.points[k]![0]))},${f(y(p[1]))}`);
      const lower = band.map((p, k) => `${f(x(s.points[k]![0]))},${f(y(p[0]))}`).reverse();
      if (band.length > 1) out.push(`<polygon points="${[...upper, ...lower].join(' ')}" fill="${color}" fill-opacity="0.55" stroke="${color}" stroke-width="1"/>`);
    } else if (!s.dots) {
      const segments: string[][] = [[]];
      for (const [sx, sy] of s.points) {
        if (sy === null) segments.push([]);
        else segments.at(-1)!.push(`${f(x(sx))},${f(y(sy))}`);
      }
      for (const seg of segments) if (seg.length > 1) out.push(`<polyline fill="none" stroke="${color}" stroke-width="${s.faint ? 1.2 : 2}"${s.faint ? ' stroke-opacity="0.6"' : ''} points="${seg.join(' ')}"/>`);
    }
    s.points.forEach(([sx, sy], k) => {
      if (sy === null || !(s.dots || s.points.length < 3) || stacks) return;
      const span = s.spans?.[k];
      const whisker = span ? `<line x1="${f(x(span[0]))}" x2="${f(x(span[1]))}" y1="${f(y(sy))}" y2="${f(y(sy))}" stroke="${color}" stroke-width="2" stroke-opacity="0.6"/>` : '';
      const covers = span ? ` (measured ${span[0].toFixed(1)}s to ${span[1].toFixed(1)}s)` : '';
      out.push(`<g class="point">${whisker}<circle cx="${f(x(sx))}" cy="${f(y(sy))}" r="3.5" fill="${color}"/><title>${e(`${s.name}: ${c.format(sy)} at ${sx.toFixed(1)}s${covers}`)}</title></g>`);
    });
    out.push('</g>');
  });
  for (const ev of c.events ?? []) out.push(`<g class="event"><title>${e(ev.title)}</title><line x1="${f(x(ev.at))}" x2="${f(x(ev.at))}" y1="${top}" y2="${laneTop - 4}" stroke="${EVENT_COLOR}" stroke-width="1.2" stroke-dasharray="2 2"/><path d="M${f(x(ev.at) - 5)},${laneTop - 2} l5,-8 l5,8 z" fill="${EVENT_COLOR}"/></g>`);
  lane.labels.forEach((l) => out.push(`<text class="event-label" x="${f(l.x)}" y="${laneTop + 12 + l.row * 18}" text-anchor="${l.anchor}" fill="${EVENT_COLOR}">${e(l.text)}</text>`));
  for (const m of c.marks) {
    const color = m.neutral ? '#6b7280' : m.ok ? '#059669' : '#dc2626';
    const span = m.from !== undefined && m.to !== undefined ? ` (measured ${m.from.toFixed(1)}s to ${m.to.toFixed(1)}s)` : '';
    const bracket = m.from !== undefined && m.to !== undefined ? `<line x1="${f(x(m.from))}" x2="${f(x(m.to))}" y1="${top - 8}" y2="${top - 8}" stroke="${color}" stroke-width="2"/>` : '';
    out.push(`<g class="check"><title>${e(`${m.label} at ${m.at.toFixed(1)}s: ${m.word ?? (m.ok ? 'met' : 'NOT met')}${span}`)}</title>${bracket}<line x1="${f(x(m.at))}" x2="${f(x(m.at))}" y1="${top - 4}" y2="${bottom}" stroke="${color}" stroke-dasharray="3 3"/><circle cx="${f(x(m.at))}" cy="${top - 8}" r="4.5" fill="${color}"/></g>`);
  }
  for (const l of windowLabels(c.windows.map((w) => ({ from: x(w.from), to: x(w.to), label: w.label })), left, W - right, FONT)) {
    out.push(`<text class="window-label" x="${f(l.x)}" y="${top + 15 + l.row * 17}" fill="#92400e" ${halo}>${e(l.text)}</text>`);
  }
  for (const item of legend.items) {
    out.push(`<g class="legend-item"><rect x="${f(item.x)}" y="${item.y - 11}" width="12" height="12" fill="${item.color}"/><text x="${f(item.x + 16)}" y="${item.y}" fill="#111">${e(item.text)}</text>${item.text === item.name ? '' : `<title>${e(item.name)}</title>`}</g>`);
  }
  // Over the plot's upper half, clear of a flat line at 0 and of the window labels along the top.
  if (c.notice && ys.length) {
    wrapText(c.notice, FONT, plotW - 16, 2).forEach((line, i) => out.push(`<text class="notice" x="${f(left + plotW / 2)}" y="${f(top + PLOT_H * 0.45 + i * 18)}" text-anchor="middle" font-weight="600" fill="#047857" ${halo}>${e(line)}</text>`));
  }
  if (ys.length === 0) out.push(`<text class="empty" x="${f(left + plotW / 2)}" y="${top + PLOT_H / 2 + 20}" text-anchor="middle" fill="#6b7280">${e(c.empty ?? 'no samples')}</text>`);
  out.push('</svg>');
  return out.join('\n');
}
