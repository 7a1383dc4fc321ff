import { flagsIn } from './command-tree.js';
/** What stands for a flag's value: its default as an example, its choices, N for a number, else its last word in capitals (argparse's habit). */
function valueHint(f) {
    if (f.choices?.length)
        return f.choices.map(String).join('|');
    if (typeof f.default === 'string' && f.default !== '')
        return f.default;
    if (typeof f.default === 'number')
        return String(f.default);
    if (f.type === 'number')
        return 'N';
    return (f.name.split('-').at(-1) ?? f.name).toUpperCase();
}
/** One flag as a synopsis writes it: `[--dry-run]`, `[--journal journal.json]`, `[--admin ADMIN]...`, `--service SERVICE` when required. */
export function flagSynopsis(f) {
    const text = f.type === 'boolean' || f.type === 'count' ? `--${f.name}` : `--${f.name} ${valueHint(f)}`;
    return `${f.required ? text : `[${text}]`}${f.array ? '...' : ''}`;
}
const positionalSynopsis = (node) => node.positionals.map((p) => (p.required ? `<${p.name}${p.variadic ? '..' : ''}>` : `[${p.name}${p.variadic ? '..' : ''}]`));
/** The flags a synopsis lists: the command's own and its parents', without --help and --version, required ones first. */
const listed = (node) => flagsIn(node).filter((f) => !f.hidden && f.name !== 'help' && f.name !== 'version').sort((a, b) => Number(b.required) - Number(a.required));
/** A line cut to `width` at a word, with an ellipsis when anything was cut. */
function clip(line, width) {
    if (line.length <= width)
        return line;
    const cut = line.slice(0, width - 1);
    return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), width / 2)).trimEnd()}…`;
}
/** Words after `head`, on lines of at most `width`; further lines indented. */
function wrap(head, words, width) {
    const indent = ' '.repeat(Math.min(head.length + 1, 24));
    const lines = [head];
    for (const w of words) {
        const last = lines[lines.length - 1];
        // A line takes at least one word, however long.
        if (last.length + 1 + w.length > width && last !== head && last.trim() !== '')
            lines.push(`${indent}${w}`);
        else
            lines[lines.length - 1] = `${last} ${w}`;
    }
    return lines.join('\n');
}
/**
 * The short usage of one command: its words, positionals and flags on as
 * few lines as fit, for a typo's answer (the whole help is one `--help` away).
 * @example usageOf(faultsList) // 'usage: faultmesh faults list [--admin ADMIN]... [--control CONTROL] [--token TOKEN]'
 */
export function usageOf(node, width = 100) {
    const head = `usage: faultmesh ${node.path.join(' ')}`;
    if (node.children.length) {
        // One line per action, as help's command list: its words and positionals, then what it does.
        const rows = node.children.map((c) => [`faultmesh ${[...c.path, ...positionalSynopsis(c)].join(' ')}`, c.describe]);
        const pad = Math.max(...rows.map(([w]) => w.length)) + 2;
        const actions = rows.map(([w, d]) => clip(`       ${w.padEnd(pad)}${d}`, Math.max(width, pad + 27)));
        return [`${head} <${node.children.map((c) => c.name).join('|')}> ...`, ...actions].join('\n');
    }
    return wrap(head, [...positionalSynopsis(node), ...listed(node).map(flagSynopsis)], width);
}
//# sourceMappingURL=usage-line.js.map