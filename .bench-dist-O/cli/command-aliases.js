/**
 * Other names an action answers to, wherever an action of that name exists:
 * `faults ls`, `faults remove ID`. Added here, once, so that every command
 * (whoever writes it) gets them, and help lists them as `[aliases: ls]`.
 */
export const ACTION_ALIASES = {
    list: ['ls'],
    rm: ['remove'],
};
/** The name a yargs command string declares: `rm <id>` → `rm`. */
export const commandNameOf = (command) => command.trim().split(/\s+/)[0] ?? '';
const extraFor = (command, taken) => (ACTION_ALIASES[commandNameOf(command)] ?? []).filter((a) => !taken.includes(a));
/**
 * The arguments of one `.command(...)` call with the aliases of its name
 * added, in whichever form the call takes: `(module)`, `(cmd, describe, ...)`
 * or `([cmd, ...aliases], describe, ...)`.
 */
export function withAliases(args) {
    const [first, ...rest] = args;
    if (typeof first === 'string') {
        const extra = extraFor(first, []);
        return extra.length ? [[first, ...extra], ...rest] : [...args];
    }
    if (Array.isArray(first) && typeof first[0] === 'string') {
        const extra = extraFor(first[0], first);
        return extra.length ? [[...first, ...extra], ...rest] : [...args];
    }
    if (first !== null && typeof first === 'object') {
        const mod = first;
        const command = Array.isArray(mod.command) ? mod.command[0] : mod.command;
        if (typeof command !== 'string')
            return [...args];
        const aliases = mod.aliases === undefined ? [] : typeof mod.aliases === 'string' ? [mod.aliases] : [...mod.aliases];
        const extra = extraFor(command, [...aliases, ...(Array.isArray(mod.command) ? mod.command.slice(1) : [])]);
        return extra.length ? [{ ...mod, aliases: [...aliases, ...extra] }, ...rest] : [...args];
    }
    return [...args];
}
/**
 * Makes every `.command(...)` on this parser, and so in every builder
 * (yargs hands each nested builder this same instance), take the aliases.
 */
export function addCommandAliases(parser) {
    const command = parser.command.bind(parser);
    Object.defineProperty(parser, 'command', { value: (...args) => command(...withAliases(args)), configurable: true, writable: true });
    return parser;
}
//# sourceMappingURL=command-aliases.js.map