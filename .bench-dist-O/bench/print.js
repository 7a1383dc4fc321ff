/** Formatting shared by the bench's tables and target lines. */
export const fmt = (n, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : '-');
/** A change as a signed percentage: +2.2%, -1.7%. */
export const signed = (x) => (Number.isFinite(x) ? `${x >= 0 ? '+' : ''}${fmt(100 * x, 1)}%` : '-');
/** The middle value (the upper one of an even count); NaN for none. */
export function median(xs) {
    const finite = xs.filter(Number.isFinite);
    return finite.length === 0 ? Number.NaN : [...finite].sort((a, b) => a - b)[Math.floor(finite.length / 2)];
}
/** A Markdown table, so the output can be pasted into the README as it is. */
export function table(head, rows) {
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const line = (cells) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
    console.log([line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n'));
}
//# sourceMappingURL=print.js.map