import { commandNameOf, withAliases } from './command-aliases.js';
/** Flags yargs itself adds to every command. */
const BUILT_IN = [
    { name: 'help', describe: 'Show help', type: 'boolean', array: false, default: undefined, choices: undefined, required: false, hidden: false, aliases: [] },
    { name: 'version', describe: 'Show version number', type: 'boolean', array: false, default: undefined, choices: undefined, required: false, hidden: false, aliases: [] },
];
function flagOf(name, o) {
    const type = ['boolean', 'string', 'number', 'count'].find((t) => o.type === t || o[t] === true);
    const alias = o.alias === undefined ? [] : Array.isArray(o.alias) ? o.alias : [String(o.alias)];
    return {
        name,
        describe: [o.describe, o.description, o.desc].find((d) => typeof d === 'string'),
        type: type ?? (o.array === true || Array.isArray(o.choices) ? 'string' : undefined),
        array: o.array === true || o.type === 'array',
        default: o.default,
        choices: Array.isArray(o.choices) ? o.choices : undefined,
        required: o.demandOption === true || typeof o.demandOption === 'string' || o.demand === true || o.required === true,
        hidden: o.hidden === true,
        aliases: alias,
    };
}
/** The positionals a command string declares, in order. */
export function positionalsOf(command) {
    return [...command.matchAll(/([<[])([^\]>]+)[\]>]/g)].map(([, bracket, inner]) => {
        const variadic = inner.endsWith('..');
        return { name: (variadic ? inner.slice(0, -2) : inner).split('|')[0], required: bracket === '<', variadic, describe: undefined };
    });
}
function newNode(command, aliases, describe, parent) {
    const name = commandNameOf(command);
    return { path: [...parent.path, name], name, aliases, describe: typeof describe === 'string' ? describe : '', positionals: positionalsOf(command), flags: [], children: [], parent };
}
/**
 * A stand-in for the parser that records what a builder declares instead of
 * parsing: every other method (conflicts, demandCommand, strict...) does
 * nothing and chains. Nested builders run at once, so one pass records the
 * whole tree without any command running.
 */
function recorder(node) {
    const methods = {
        option: (name, o) => addFlags(node, typeof name === 'string' ? { [name]: o } : name),
        options: (name, o) => addFlags(node, typeof name === 'string' ? { [name]: o } : name),
        positional: (name, o) => {
            const at = node.positionals.findIndex((p) => p.name === name);
            const spec = o;
            const describe = [spec.describe, spec.description, spec.desc].find((d) => typeof d === 'string');
            if (at >= 0)
                node.positionals[at] = { ...node.positionals[at], describe };
            return self;
        },
        command: (...args) => {
            addCommand(node, withAliases(args));
            return self;
        },
    };
    const self = new Proxy({}, {
        // Not a thenable: `await register(recorder)` must not wait forever.
        get: (_target, key) => (key === 'then' ? undefined : (methods[String(key)] ?? (() => self))),
    });
    const addFlags = (n, flags) => {
        for (const [name, o] of Object.entries((flags ?? {})))
            n.flags.push(flagOf(name, o ?? {}));
        return self;
    };
    return self;
}
function addCommand(parent, args) {
    const [first, describe, builder] = args;
    let command;
    let aliases = [];
    let build = builder;
    let text = describe;
    if (typeof first === 'string' || Array.isArray(first)) {
        const names = typeof first === 'string' ? [first] : first;
        command = names[0];
        aliases = names.slice(1).map(commandNameOf);
    }
    else {
        const mod = first;
        const names = Array.isArray(mod.command) ? mod.command : [mod.command];
        command = names[0];
        aliases = [...names.slice(1), ...(mod.aliases === undefined ? [] : [mod.aliases].flat())].map(commandNameOf);
        build = mod.builder;
        text = mod.describe ?? mod.description ?? mod.desc;
    }
    const node = newNode(command, aliases, text, parent);
    parent.children.push(node);
    const child = recorder(node);
    if (typeof build === 'function')
        build(child);
    else if (build !== null && typeof build === 'object')
        child.options(build);
}
/**
 * The tree of the given commands, as their builders declare it, under a
 * root that stands for `faultmesh` itself. Runs builders only: no command.
 * @example commandTree([register]).children[0].children.map((c) => c.name) // ['list', 'add', ...]
 */
export function commandTree(registers) {
    const root = { path: [], name: 'faultmesh', aliases: [], describe: '', positionals: [], flags: [...BUILT_IN], children: [], parent: undefined };
    const y = recorder(root);
    for (const register of registers)
        register(y);
    return root;
}
/** A command's flags together with those its parents declare (yargs applies them to every action below). */
export function flagsIn(node) {
    const own = node.parent ? flagsIn(node.parent) : [];
    return [...own.filter((f) => !node.flags.some((g) => g.name === f.name)), ...node.flags];
}
/** Every command and action of the tree, depth first. */
export function everyCommand(node) {
    return [node, ...node.children.flatMap(everyCommand)];
}
/** The action of `node` a word names, by name or alias. */
export const childNamed = (node, word) => node.children.find((c) => c.name === word || c.aliases.includes(word));
//# sourceMappingURL=command-tree.js.map