/** Past this many lines a side, the diff is not worth a quadratic table: everything is shown as replaced. */
const MAX_LINES = 5000;
/** Line operations turning `a` into `b`, from their longest common subsequence. */
function diffLines(a, b) {
    if (a.length > MAX_LINES || b.length > MAX_LINES)
        return [...a.map((line) => ({ kind: '-', line })), ...b.map((line) => ({ kind: '+', line }))];
    const n = a.length;
    const m = b.length;
    // lcs[i][j]: common lines of a[i..] and b[j..], in one flat array.
    const lcs = new Uint32Array((n + 1) * (m + 1));
    for (let i = n - 1; i >= 0; i--) {
        for (let j = m - 1; j >= 0; j--)
            lcs[i * (m + 1) + j] = a[i] === b[j] ? lcs[(i + 1) * (m + 1) + j + 1] + 1 : Math.max(lcs[(i + 1) * (m + 1) + j], lcs[i * (m + 1) + j + 1]);
    }
    const ops = [];
    let i = 0;
    let j = 0;
    while (i < n && j < m) {
        if (a[i] === b[j]) {
            ops.push({ kind: ' ', line: a[i++] });
            j++;
        }
        else if (lcs[(i + 1) * (m + 1) + j] >= lcs[i * (m + 1) + j + 1])
            ops.push({ kind: '-', line: a[i++] });
        else
            ops.push({ kind: '+', line: b[j++] });
    }
    while (i < n)
        ops.push({ kind: '-', line: a[i++] });
    while (j < m)
        ops.push({ kind: '+', line: b[j++] });
    return ops;
}
const split = (text) => (text === '' ? [] : text.replace(/\n$/, '').split('\n'));
/**
 * A unified diff (`---`/`+++` headers, `@@` hunks with `context` lines
 * around each change), or '' when the texts are the same.
 *
 * @example unifiedDiff('a\nb\n', 'a\nc\n', 'applied', 'mesh.yaml')
 */
export function unifiedDiff(before, after, fromName, toName, context = 3) {
    const ops = diffLines(split(before), split(after));
    if (ops.every((o) => o.kind === ' '))
        return '';
    const out = [`--- ${fromName}`, `+++ ${toName}`];
    let k = 0;
    // Positions (1-based) in each side of ops[k].
    const posA = [];
    const posB = [];
    let pa = 1;
    let pb = 1;
    for (const o of ops) {
        posA.push(pa);
        posB.push(pb);
        if (o.kind !== '+')
            pa++;
        if (o.kind !== '-')
            pb++;
    }
    while (k < ops.length) {
        if (ops[k].kind === ' ') {
            k++;
            continue;
        }
        // A hunk: from `context` lines before this change to `context` after the last change closer than 2*context.
        const start = Math.max(0, k - context);
        let end = k;
        let last = k;
        while (end < ops.length && end - last <= 2 * context) {
            if (ops[end].kind !== ' ')
                last = end;
            end++;
        }
        end = Math.min(ops.length, last + context + 1);
        const hunk = ops.slice(start, end);
        const aLen = hunk.filter((o) => o.kind !== '+').length;
        const bLen = hunk.filter((o) => o.kind !== '-').length;
        out.push(`@@ -${aLen ? posA[start] : posA[start] - 1},${aLen} +${bLen ? posB[start] : posB[start] - 1},${bLen} @@`);
        for (const o of hunk)
            out.push(`${o.kind}${o.line}`);
        k = end;
    }
    return `${out.join('\n')}\n`;
}
//# sourceMappingURL=unified-diff.js.map