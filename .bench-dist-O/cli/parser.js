import yargs from 'yargs';
import { addCommandAliases } from './command-aliases.js';
import { COMMAND_NAMES } from './command-loaders.js';
import { refuseRepeatedFlags } from './repeated-flags.js';
/** yargs refused the command line (an unknown command or flag, a missing positional): the user's mistake, explained by explain-failure.ts. */
export class ParseFailure extends Error {
    code = 'USAGE';
    name = 'ParseFailure';
}
/** Thrown, in parse-only mode, where the command's handler would have run: the line parsed. */
export class ParsedOnly extends Error {
    argv;
    name = 'ParsedOnly';
    constructor(argv) {
        super('parsed; not run');
        this.argv = argv;
    }
}
const COMPLETION_KEY = '--get-yargs-completions';
/**
 * The words a completion request completes, when it asks for completions
 * (`faultmesh --get-yargs-completions faultmesh faults li`, as the shell
 * script yargs writes calls it): without the program's own name.
 */
export function completionWords(argv) {
    return argv[0] === COMPLETION_KEY ? argv.slice(2) : undefined;
}
/**
 * The first word is completed from the names alone, so a Tab there loads no
 * command module; deeper words go to yargs, which has loaded the one named.
 */
function complete(current, argv, fallback, done) {
    const typed = argv._.slice(1).map(String);
    if (typed.length <= 1 && !current.startsWith('-'))
        return done(COMMAND_NAMES.filter((n) => n.startsWith(current)));
    fallback();
}
/**
 * faultmesh's parser with these commands: strict (an unknown command or
 * flag is refused), each flag given once unless it repeats, `completion`,
 * and failures thrown as ParseFailure for the caller to explain.
 */
export function buildParser(registers, options = {}) {
    const parser = addCommandAliases(yargs().scriptName('faultmesh'));
    for (const register of registers)
        register(parser);
    parser
        .completion('completion', 'print a shell completion script for bash or zsh (faultmesh completion >> ~/.bashrc)', complete)
        .middleware(refuseRepeatedFlags, true)
        .demandCommand(1, 'name a command')
        .strict()
        .fail((text, err) => {
        // yargs reports some flag mistakes (a flag given no value) as a YError: the user's mistake, not ours.
        if (err && err.name !== 'YError')
            throw err;
        throw new ParseFailure(text ?? err?.message ?? 'invalid arguments');
    })
        .help();
    if (options.parseOnly) {
        parser.exitProcess(false).middleware((argv) => {
            throw new ParsedOnly(argv);
        }, false);
    }
    return parser;
}
//# sourceMappingURL=parser.js.map