import type { Argv } from 'yargs';
import { commandNameOf, withAliases } from './command-aliases.js';
import type { Register } from './command-loaders.js';

/** One flag as its command declares it to yargs. */
export interface FlagSpec {
  readonly name: string;
  readonly describe: string | undefined;
  readonly type: 'boolean' | 'string' | 'number' | 'count' | undefined;
  readonly array: boolean;
  readonly default: unknown;
  readonly choices: readonly unknown[] | undefined;
  readonly required: boolean;
  readonly hidden: boolean;
  readonly aliases: readonly string[];
}

/** One positional of a command string: `<file>` (required), `[name]`, `<files..>` (one or more). */
export interface PositionalSpec {
  readonly name: string;
  readonly required: boolean;
  readonly variadic: boolean;
  readonly describe: string | undefined;
}

/** A command (or an action of one), its flags (its own; those of its parents apply too) and its actions. */
export interface CommandNode {
  /** The words that name it: `['faults', 'list']`; the root's is empty. */
  readonly path: readonly string[];
  readonly name: string;
  readonly aliases: readonly string[];
  readonly describe: string;
  readonly positionals: PositionalSpec[];
  readonly flags: FlagSpec[];
  readonly children: CommandNode[];
  readonly parent: CommandNode | undefined;
}

/** Flags yargs itself adds to every command. */
const BUILT_IN: readonly FlagSpec[] = [
  { name: 'help', describe: 'Show help', type: 'boolean', array: false, default: undefined, choices: undefined, required: false, hidden: false, aliases: [] },
  { name: 'version', describe: 'Show version number', type: 'boolean', array: false, default: undefined, choices: undefined, required: false, hidden: false, aliases: [] },
];

type OptionLike = Record<string, unknown>;

function flagOf(name: string, o: OptionLike): FlagSpec {
  const type = (['boolean', 'string', 'number', 'count'] as const).find((t) => o.type === t || o[t] === true);
  const alias = o.alias === undefined ? [] : Array.isArray(o.alias) ? (o.alias as string[]) : [String(o.alias)];
  return {
    name,
    describe: [o.describe, o.description, o.desc].find((d): d is string => typeof d === 'string'),
    type: type ?? (o.array === true || Array.isArray(o.choices) ? 'string' : undefined),
    array: o.array === true || o.type === 'array',
    default: o.default,
    choices: Array.isArray(o.choices) ? (o.choices as unknown[]) : undefined,
    required: o.demandOption === true || typeof o.demandOption === 'string' || o.demand === true || o.required === true,
    hidden: o.hidden === true,
    aliases: alias,
  };
}

/** The positionals a command string declares, in order. */
export function positionalsOf(command: string): PositionalSpec[] {
  return [...command.matchAll(/([<[])([^\]>]+)[\]>]/g)].map(([, bracket, inner]) => {
    const variadic = inner!.endsWith('..');
    return { name: (variadic ? inner!.slice(0, -2) : inner!).split('|')[0]!, required: bracket === '<', variadic, describe: undefined };
  });
}

function newNode(command: string, aliases: readonly string[], describe: unknown, parent: CommandNode): CommandNode {
  const name = commandNameOf(command);
  return { path: [...parent.path, name], name, aliases, describe: typeof describe === 'string' ? describe : '', positionals: positionalsOf(command), flags: [], children: [], parent };
}

/**
 * A stand-in for the parser that records what a builder declares instead of
 * parsing: every other method (conflicts, demandCommand, strict...) does
 * nothing and chains. Nested builders run at once, so one pass records the
 * whole tree without any command running.
 */
function recorder(node: CommandNode): Argv {
  const methods: Record<string, (...args: unknown[]) => unknown> = {
    option: (name, o) => addFlags(node, typeof name === 'string' ? { [name]: o } : name),
    options: (name, o) => addFlags(node, typeof name === 'string' ? { [name]: o } : name),
    positional: (name, o) => {
      const at = node.positionals.findIndex((p) => p.name === name);
      const spec = o as OptionLike;
      const describe = [spec.describe, spec.description, spec.desc].find((d): d is string => typeof d === 'string');
      if (at >= 0) node.positionals[at] = { ...node.positionals[at]!, describe };
      return self;
    },
    command: (...args) => {
      addCommand(node, withAliases(args));
      return self;
    },
  };
  const self: Argv = new Proxy({} as Argv, {
    // Not a thenable: `await register(recorder)` must not wait forever.
    get: (_target, key) => (key === 'then' ? undefined : (methods[String(key)] ?? (() => self))),
  });
  const addFlags = (n: CommandNode, flags: unknown) => {
    for (const [name, o] of Object.entries((flags ?? {}) as Record<string, OptionLike>)) n.flags.push(flagOf(name, o ?? {}));
    return self;
  };
  return self;
}

function addCommand(parent: CommandNode, args: readonly unknown[]): void {
  const [first, describe, builder] = args;
  let command: string;
  let aliases: string[] = [];
  let build: unknown = builder;
  let text: unknown = describe;
  if (typeof first === 'string' || Array.isArray(first)) {
    const names = typeof first === 'string' ? [first] : (first as string[]);
    command = names[0]!;
    aliases = names.slice(1).map(commandNameOf);
  } else {
    const mod = first as { command: string | string[]; aliases?: string | string[]; describe?: unknown; description?: unknown; desc?: unknown; builder?: unknown };
    const names = Array.isArray(mod.command) ? mod.command : [mod.command];
    command = names[0]!;
    aliases = [...names.slice(1), ...(mod.aliases === undefined ? [] : [mod.aliases].flat())].map(commandNameOf);
    build = mod.builder;
    text = mod.describe ?? mod.description ?? mod.desc;
  }
  const node = newNode(command, aliases, text, parent);
  parent.children.push(node);
  const child = recorder(node);
  if (typeof build === 'function') build(child);
  else if (build !== null && typeof build === 'object') child.options(build as Record<string, OptionLike>);
}

/**
 * The tree of the given commands, as their builders declare it, under a
 * root that stands for `faultmesh` itself. Runs builders only: no command.
 * @example commandTree([register]).children[0].children.map((c) => c.name) // ['list', 'add', ...]
 */
export function commandTree(registers: readonly Register[]): CommandNode {
  const root: CommandNode = { path: [], name: 'faultmesh', aliases: [], describe: '', positionals: [], flags: [...BUILT_IN], children: [], parent: undefined };
  const y = recorder(root);
  for (const register of registers) register(y);
  return root;
}

/** A command's flags together with those its parents declare (yargs applies them to every action below). */
export function flagsIn(node: CommandNode): FlagSpec[] {
  const own = node.parent ? flagsIn(node.parent) : [];
  return [...own.filter((f) => !node.flags.some((g) => g.name === f.name)), ...node.flags];
}

/** Every command and action of the tree, depth first. */
export function everyCommand(node: CommandNode): CommandNode[] {
  return [node, ...node.children.flatMap(everyCommand)];
}

/** The action of `node` a word names, by name or alias. */
export const childNamed = (node: CommandNode, word: string): CommandNode | undefined => node.children.find((c) => c.name === word || c.aliases.includes(word));
