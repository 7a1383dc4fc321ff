// Text layout for charts drawn without a browser: how wide a label will be,
// so that legends wrap, labels stay inside the picture and never overlap.
// The estimates are for DejaVu Sans (Debian's sans-serif), one of the widest
// common fonts, so narrower fonts only leave more room.
const NARROW = new Set([...'ijlt.,:;\'|!()[] frI']);
const WIDE = new Set([...'mwMW@%']);
/** Estimated width of `text` at `size` px: a little more than it takes, never less. */
export function textWidth(text, size) {
    let em = 0;
    for (const c of text)
        em += NARROW.has(c) ? 0.36 : WIDE.has(c) ? 0.95 : /[A-Z]/.test(c) ? 0.72 : 0.64;
    return em * size;
}
/** `text` cut with an ellipsis so that it fits in `width`. */
export function fitText(text, size, width) {
    if (textWidth(text, size) <= width)
        return text;
    const chars = [...text];
    while (chars.length > 1 && textWidth(`${chars.join('')}…`, size) > width)
        chars.pop();
    return `${chars.join('')}…`;
}
/** Words wrapped into at most `maxLines` lines of `width`; the last one cut with an ellipsis if needed. */
export function wrapText(text, size, width, maxLines) {
    const lines = [];
    let line = '';
    const words = text.split(/\s+/).filter(Boolean);
    for (let i = 0; i < words.length; i++) {
        const next = line ? `${line} ${words[i]}` : words[i];
        if (textWidth(next, size) <= width || !line) {
            line = next;
            continue;
        }
        lines.push(line);
        line = words[i];
        if (lines.length === maxLines - 1) {
            line = words.slice(i).join(' ');
            break;
        }
    }
    if (line)
        lines.push(line);
    return lines.map((l, i) => (i === lines.length - 1 ? fitText(l, size, width) : l));
}
/**
 * Assigns each span (a label's extent on x) the first row where it overlaps
 * no other; returns each span's row, or -1 when `maxRows` are full there.
 */
export function stackRows(spans, maxRows, gap = 6) {
    const rows = [];
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
export function niceTicks(min, max, count) {
    if (!(max > min))
        return [min, min + 1];
    const raw = (max - min) / count;
    const pow = 10 ** Math.floor(Math.log10(raw));
    const step = [1, 2, 2.5, 5, 10].map((m) => m * pow).find((s) => s >= raw) ?? raw;
    const start = Math.floor(min / step + 1e-9) * step;
    const ticks = [];
    for (let v = start; v <= max + step * 0.999 && ticks.length < 50; v += step)
        ticks.push(Number(v.toPrecision(12)));
    return ticks;
}
//# sourceMappingURL=chart-text.js.map