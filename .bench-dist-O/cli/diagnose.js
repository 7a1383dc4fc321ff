import { childNamed, flagsIn } from './command-tree.js';
/** Edit distance with adjacent transpositions (`stauts` is one step from `status`). */
export function distance(a, b) {
    const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
    for (let i = 1; i <= a.length; i++) {
        for (let j = 1; j <= b.length; j++) {
            const cost = a[i - 1] === b[j - 1] ? 0 : 1;
            d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
            if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
                d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
    }
    return d[a.length][b.length];
}
/**
 * The candidate a mistyped word most likely meant: the only one it begins,
 * else the closest within a distance that grows with the word (1 up to 3
 * letters, 2 up to 6, then 3), so `renew` does not become `resume`.
 * @example nearest('lst', ['list', 'add', 'rm']) // 'list'
 */
export function nearest(word, candidates) {
    const w = word.toLowerCase();
    const prefixed = candidates.filter((c) => w.length >= 2 && c.startsWith(w));
    if (prefixed.length === 1)
        return prefixed[0];
    const limit = w.length <= 3 ? 1 : w.length <= 6 ? 2 : 3;
    let best;
    for (const c of candidates) {
        const d = distance(w, c);
        if (d <= limit && (best === undefined || d < best.d))
            best = { name: c, d };
    }
    return best?.name;
}
const kebab = (name) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
/** The flag a `--name` (or `--no-name`, or camelCase) word sets, among these. */
function flagFor(word, flags) {
    const name = kebab(word.replace(/^-+/, '').split('=')[0]);
    const named = (n) => flags.find((f) => f.name === n || f.aliases.includes(n));
    return named(name) ?? (name.startsWith('no-') ? named(name.slice(3)) : undefined);
}
/** Whether the word after a flag is its value, as yargs-parser reads it (arrays take every word up to the next flag). */
function valueWords(flag, word, rest) {
    if (word.includes('='))
        return 0;
    const isValue = (w) => w !== undefined && (!w.startsWith('-') || w === '-' || /^-\d/.test(w));
    if (flag?.type === 'boolean')
        return rest[0] === 'true' || rest[0] === 'false' ? 1 : 0;
    if (flag?.array) {
        let n = 0;
        while (isValue(rest[n]))
            n++;
        return n;
    }
    return isValue(rest[0]) ? 1 : 0;
}
/**
 * Walks the words from the root: each word names an action while the
 * command has actions, then the rest are its positionals; each flag must
 * be one the command (or a parent) declares. The first thing amiss wins.
 * @example diagnose(['faults', 'lst'], tree) // { kind: 'unknown-command', word: 'lst', suggestion: <faults list> }
 */
export function diagnose(words, root) {
    let node = root;
    const positionals = [];
    const flags = [];
    for (let i = 0; i < words.length; i++) {
        const word = words[i];
        if (word === '--')
            break;
        if (word.startsWith('-') && word !== '-' && !/^-\d/.test(word)) {
            flags.push(word);
            i += valueWords(flagFor(word, flagsIn(node)), word, words.slice(i + 1));
            continue;
        }
        if (node.children.length && positionals.length === 0) {
            const child = childNamed(node, word);
            if (child) {
                node = child;
                continue;
            }
            const guess = nearest(word, node.children.flatMap((c) => [c.name, ...c.aliases]));
            return { kind: 'unknown-command', parent: node, word, suggestion: guess === undefined ? undefined : childNamed(node, guess) };
        }
        positionals.push(word);
    }
    const known = flagsIn(node);
    for (const word of flags) {
        if (flagFor(word, known))
            continue;
        const name = word.replace(/^-+/, '').split('=')[0];
        const guess = nearest(kebab(name), known.filter((f) => !f.hidden).flatMap((f) => [f.name, ...f.aliases]));
        return { kind: 'unknown-flag', command: node, flag: name, suggestion: guess === undefined ? undefined : flagFor(guess, known) };
    }
    if (node.children.length)
        return { kind: 'no-action', command: node };
    const missing = node.positionals.filter((p) => p.required)[positionals.length];
    if (missing)
        return { kind: 'missing-positional', command: node, positional: missing };
    const variadic = node.positionals.some((p) => p.variadic);
    if (!variadic && positionals.length > node.positionals.length)
        return { kind: 'extra-positional', command: node, word: positionals[node.positionals.length] };
    return { kind: 'none', command: node };
}
//# sourceMappingURL=diagnose.js.map