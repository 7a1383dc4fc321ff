import { fitText, stackRows, textWidth } from './chart-text.js';

export interface LegendItem {
  readonly name: string;
  readonly color: string;
  /** The name as drawn: cut with an ellipsis when it cannot fit on a line (the full one is its tooltip). */
  readonly text: string;
  readonly x: number;
  /** The baseline of its text. */
  readonly y: number;
}

export interface Legend {
  readonly items: readonly LegendItem[];
  /** Where the legend ends: the picture's height follows. */
  readonly bottom: number;
}

const SWATCH = 16;
const GAP = 16;
const ROW = 20;

/**
 * Lays the legend out in rows that wrap at the picture's width, so no two
 * entries overlap however many series and however long their names.
 */
export function chartLegend(entries: ReadonlyArray<{ readonly name: string; readonly color: string }>, width: number, font: number, top: number): Legend {
  const items: LegendItem[] = [];
  const start = 8;
  const end = width - 8;
  let x = start;
  let row = 0;
  for (const { name, color } of entries) {
    const text = fitText(name, font, end - start - SWATCH);
    const w = SWATCH + textWidth(text, font);
    if (x > start && x + w > end) {
      row++;
      x = start;
    }
    items.push({ name, color, text, x, y: top + 14 + row * ROW });
    x += w + GAP;
  }
  return { items, bottom: entries.length ? top + (row + 1) * ROW : top };
}

export interface PlacedLabel {
  readonly text: string;
  readonly x: number;
  readonly row: number;
  readonly anchor: 'start' | 'middle' | 'end';
}

/**
 * Fault-window labels along the top of the plot: each starts at its
 * window, or ends at the plot's right edge when it would run past it, and
 * takes the first of three rows where it covers no other label. One that
 * finds no room is left to the window's tooltip.
 */
export function windowLabels(windows: ReadonlyArray<{ readonly from: number; readonly to: number; readonly label: string }>, left: number, right: number, font: number): Array<PlacedLabel & { anchor: 'start' }> {
  const placed = windows.map((w) => {
    const text = fitText(w.label, font, right - left - 6);
    const width = textWidth(text, font);
    const from = Math.max(left + 3, Math.min(w.from + 3, right - 3 - width));
    return { text, from, to: from + width };
  });
  const rows = stackRows(placed, 3);
  return placed.flatMap((p, i) => (rows[i]! < 0 ? [] : [{ text: p.text, x: p.from, row: rows[i]!, anchor: 'start' as const }]));
}

/**
 * Labels of events on the lane under the time axis: centred on their
 * moment, kept inside the picture, in up to three rows. `rows` is how many
 * the lane needs; labels that find no room are left to their tooltips.
 */
export function laneLabels(events: ReadonlyArray<{ readonly x: number; readonly label: string }>, width: number, font: number): { labels: PlacedLabel[]; rows: number } {
  if (!events.length) return { labels: [], rows: 0 };
  const sorted = [...events].sort((a, b) => a.x - b.x);
  const placed = sorted.map((ev) => {
    const text = fitText(ev.label, font, width / 2);
    const w = textWidth(text, font);
    const from = Math.max(4, Math.min(ev.x - w / 2, width - 4 - w));
    return { text, from, to: from + w };
  });
  const rows = stackRows(placed, 3);
  const labels = placed.flatMap((p, i) => (rows[i]! < 0 ? [] : [{ text: p.text, x: p.from, row: rows[i]!, anchor: 'start' as const }]));
  return { labels, rows: Math.max(1, ...labels.map((l) => l.row + 1)) };
}
