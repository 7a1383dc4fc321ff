import { commandsFor } from './command-loaders.js';
import { explainFailure } from './explain-failure.js';
import { buildParser, ParsedOnly, ParseFailure } from './parser.js';
/**
 * Parses a command line as `faultmesh` does (the same commands, flags,
 * strictness and checks before the handler) and stops where the command
 * would run. One process can check many lines: README's commands, every
 * command's help.
 * @example await parseOnly(['faults', 'lst']) // { kind: 'refused', message: 'faultmesh faults has no action "lst": did you mean `list`?', ... }
 */
export async function parseOnly(argv) {
    const parser = buildParser(await commandsFor(argv), { parseOnly: true });
    let printed = '';
    try {
        await parser.parseAsync([...argv], {}, (_err, _argv, output) => {
            printed = output;
        });
    }
    catch (err) {
        if (err instanceof ParsedOnly)
            return { kind: 'parsed', argv: err.argv };
        if (err instanceof ParseFailure || err.code === 'USAGE')
            return { kind: 'refused', ...(await explainFailure(argv, err.message)) };
        throw err;
    }
    return { kind: 'printed', text: printed };
}
//# sourceMappingURL=parse-only.js.map