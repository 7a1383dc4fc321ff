import { percentile } from '../load.js';
import type { WriteKind } from './control-api.js';
import type { WriteSample } from './write-timer.js';

export const fmt = (n: number, digits = 1): string => (Number.isFinite(n) ? n.toFixed(digits) : '-');

export interface Distribution {
  readonly n: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

export function distribution(values: readonly number[]): Distribution {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  return { n: sorted.length, p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.length ? sorted[sorted.length - 1]! : Number.NaN };
}

export interface KindFigures {
  readonly kind: WriteKind;
  readonly reply: Distribution;
  readonly received: Distribution;
  readonly acked: Distribution;
  readonly polls: number;
}

export function byKind(samples: readonly WriteSample[], kinds: readonly WriteKind[]): KindFigures[] {
  return kinds.map((kind) => {
    const of = samples.filter((s) => s.kind === kind);
    return {
      kind,
      reply: distribution(of.map((s) => s.replyMs)),
      received: distribution(of.map((s) => s.receivedMs)),
      acked: distribution(of.map((s) => s.ackedMs)),
      polls: of.reduce((n, s) => n + s.statusPolls, 0) / Math.max(1, of.length),
    };
  });
}

export function table(head: readonly string[], rows: readonly (readonly string[])[]): void {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  console.log([line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n'));
}
