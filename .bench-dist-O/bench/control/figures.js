import { percentile } from '../load.js';
export const fmt = (n, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '-');
export function distribution(values) {
    const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
    return { n: sorted.length, p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.length ? sorted[sorted.length - 1] : Number.NaN };
}
export function byKind(samples, kinds) {
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
export function table(head, rows) {
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const line = (cells) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
    console.log([line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n'));
}
//# sourceMappingURL=figures.js.map