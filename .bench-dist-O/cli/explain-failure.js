import { COMMANDS, COMMAND_NAMES, isCommandName } from './command-loaders.js';
import { commandTree } from './command-tree.js';
import { diagnose, nearest } from './diagnose.js';
import { usageOf } from './usage-line.js';
/** A usage this long is no longer short: the message then points at --help instead. */
const MAX_USAGE_LINES = 4;
/** A command as a message names it: `faults list` (after the `faultmesh: ` every message starts with). */
const words = (node) => node.path.join(' ');
const helpPointer = (node) => ` (faultmesh ${words(node)} --help lists its flags)`;
const orList = (names) => (names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`);
function shortUsage(node) {
    const usage = usageOf(node, Math.min(process.stderr.columns || 100, 100));
    return usage.split('\n').length <= MAX_USAGE_LINES ? usage : undefined;
}
function render(d, yargsMessage) {
    switch (d.kind) {
        case 'unknown-command': {
            const actions = d.parent.children.map((c) => c.name);
            if (d.suggestion)
                return { message: `${words(d.parent)} has no action "${d.word}": did you mean \`${d.suggestion.name}\`?`, usage: usageOf(d.suggestion) };
            return { message: `${words(d.parent)} has no action "${d.word}"; its actions are ${orList(actions)}`, usage: usageOf(d.parent) };
        }
        case 'unknown-flag': {
            const usage = shortUsage(d.command);
            const guess = d.suggestion ? `; did you mean --${d.suggestion.name}?` : '';
            return { message: `Unknown argument: ${d.flag}${guess}${usage ? '' : helpPointer(d.command)}`, usage };
        }
        case 'no-action':
            return { message: `${words(d.command)} needs an action: ${orList(d.command.children.map((c) => c.name))}`, usage: usageOf(d.command) };
        case 'missing-positional': {
            const what = d.positional.describe ? ` (${d.positional.describe})` : '';
            const usage = shortUsage(d.command);
            return { message: `${words(d.command)} needs <${d.positional.name}>${what}${usage ? '' : helpPointer(d.command)}`, usage };
        }
        case 'extra-positional':
        case 'none': {
            const usage = shortUsage(d.command);
            // yargs' own sentence (a flag without its value, flags that conflict), with the pointer when the usage is too long to show.
            return { message: `${yargsMessage}${usage ? '' : helpPointer(d.command)}`, usage };
        }
    }
}
/** The first word that is not a flag: the command named, if any. */
export const firstWord = (argv) => argv.find((w) => !w.startsWith('-'));
/**
 * Says what is wrong with a command line yargs refused, suggesting the
 * nearest command, action or flag. Loads at most the module of the command
 * named (or of the one a typo most likely meant).
 * @example await explainFailure(['faults', 'lst'], 'Not enough non-option arguments') // { message: 'faultmesh faults has no action "lst": did you mean `list`?', usage: 'usage: faultmesh faults list ...' }
 */
export async function explainFailure(argv, yargsMessage) {
    // A builder the recorder cannot follow must not turn a typo into a stack trace: yargs' own sentence is still true.
    return explain(argv, yargsMessage).catch(() => ({ message: yargsMessage, usage: undefined }));
}
async function explain(argv, yargsMessage) {
    const first = firstWord(argv);
    if (first === undefined)
        return { message: yargsMessage, usage: undefined };
    if (!isCommandName(first)) {
        if (first === 'completion')
            return { message: yargsMessage, usage: undefined };
        const guess = nearest(first, COMMAND_NAMES);
        if (guess === undefined || !isCommandName(guess))
            return { message: `no command "${first}"; the commands are ${orList(COMMAND_NAMES)} (faultmesh --help describes each)`, usage: undefined };
        const tree = commandTree([await COMMANDS[guess]()]);
        return { message: `no command "${first}": did you mean \`${guess}\`?`, usage: usageOf(tree.children[0]) };
    }
    const tree = commandTree([await COMMANDS[first]()]);
    return render(diagnose(argv, tree), yargsMessage);
}
//# sourceMappingURL=explain-failure.js.map