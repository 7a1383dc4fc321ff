// Text layout for charts drawn without a browser: how wide a label will be,
// so that legends wrap, labels stay inside the picture and never overlap.
// The estimates are for DejaVu Sans (Debian's sans-serif), one of the widest
// common fonts, so narrower fonts only leave more room.

const NARROW = new Set([...'ijlt.,:;\'|!()[] frI']);
const WIDE = new Set([...'mwMW@%']);

/** Estimated width of `text` at `size` px: a little more than it takes, never less. */
export function textWidth(text: string, size: number): number {
  let em = 0;
  for (const c of text) em += NARROW.has(c) ? 0.36 : WIDE.has(c) ? 0.95 : /[A-Z]/.test(c) ? 0.72 : 0.64;
  return em * size;
}

/** `text` cut with an ellipsis so that it fits in `width`. */
export function fitText(text: string, size: number, width: number): string {
  if (textWidth(text, size) <= width) return text;
  const chars = [...text];
  while (chars.length > 1 && textWidth(`${chars.join('')}…`, size) > width) chars.pop();
  return `${chars.join('')}…`;
}

/** Words wrapped into at most `maxLines` lines of `width`; the last one cut with an ellipsis if needed. */
export function wrapText(text: string, size: number, width: number, maxLines: number): string[] {
  const lines: string[] = [];
  let line = '';
  const words = text.split(/\s+/).filter(Boolean);
  for (let i = 0; i < words.length; i++) {
    const next = line ? `${line} ${words[i]}` : words[i]!;
    if (textWidth(next, size) <= width || !line) {
      line = next;
      continue;
    }
    lines.push(line);
    line = words[i]!;
    if (lines.length === maxLines - 1) {
      line = words.slice(i).join(' ');
      break;
    }
  }
  if (line) lines.push(line);
  return lines.map((l, i) => (i === lines.length - 1 ? fitText(l, size, width) : l));
}

export interface Span {
  readonly from: number;
  readonly to: number;
}

/**
 * Assigns each span (a label's extent on x) the first row where it overlaps
 * no other; returns each span's row, or -1 when `maxRows` are full there.
 */
export function stackRows(spans: readonly Span[], maxRows: number, gap = 6): number[] {
  const rows: Span[][] = [];
  return spans.map((s) => {
    for (let r = 0; r < maxRows; r++) {
      const row = (rows[r] ??= []);
      if (row.every((o) => s.to + gap <= o.from || s.from >= o.to + gap)) {
        row.push(s);
        return r;
      }
    }
    return -1;
  });
}

/** Round steps for an axis from `min` to at least `max`: 1, 2 or 5 times a power of ten, about `count` of them. */
export function niceTicks(min: number, max: number, count: number): number[] {
  if (!(max > min)) return [min, min + 1];
  const raw = (max - min) / count;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * pow).find((s) => s >= raw) ?? raw;
  const start = Math.floor(min / step + 1e-9) * step;
  const ticks = [];
  for (let v = start; v <= max + step * 0.999 && ticks.length < 50; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

/**
 * Axis labels for `ticks` that are different and say their value: the
 * format's own rounding when it does, else the fewest decimals that do
 * (0.985 and 0.99 both round to "99%", and 0.25% to "0.3%"; the reader
 * must see 98.5%, 99.0% and 0.25%).
 */
export function distinctLabels(ticks: readonly number[], format: (y: number, decimals?: number) => string): string[] {
  const distinct = (labels: readonly string[]) => new Set(labels).size === labels.length;
  // A label says its value when it reads as the same number as one with plenty of decimals; formats that ignore `decimals` always do.
  const exact = (labels: readonly string[]) => labels.every((l, i) => parseFloat(l) === parseFloat(format(ticks[i]!, 6)));
  const own = ticks.map((t) => format(t));
  if (distinct(own) && exact(own)) return own;
  const tries = Array.from({ length: 7 }, (_, d) => ticks.map((t) => format(t, d)));
  return tries.find((l) => distinct(l) && exact(l)) ?? tries.find(distinct) ?? own;
}
