#!/usr/bin/env -S node --min-semi-space-size=8 --max-semi-space-size=8 --no-allocation-site-pretenuring
// The V8 flags above are part of the proxy, measured with `npm run bench`'s
// loads and --trace-gc, one proxy per flag set, 3-5 interleaved rounds (#16):
// - a young generation fixed at 8 MB per semi-space (16 MB in all), so V8
//   neither grows it under load nor keeps it small at a modest rate. At
//   1000 req/s it scavenges for 3.5 ms per 1000 requests, in pauses under
//   1 ms, against 6.6 ms with Node's default sizes and 8.2 ms with only a
//   maximum of 8. The 32-64 MB used before scavenged for 1.1 ms per 1000
//   requests but in 2.5 ms pauses, and cost RSS the sidecar must not spend:
//   155 MiB idle after a warm-up and 211 MiB under 50 connections, against
//   109 and 115-121 MiB with 8 MB;
// - without pretenuring: once the admin API had served requests, V8 began
//   allocating the per-request objects that admin and data-plane requests
//   share (Node's own HTTP objects) straight into the old generation, and
//   p99 at 1000 req/s went from about 1.3 ms to 7-17 ms. With no flags at
//   all, 15 s at 50 connections ran 17 full collections, against 0-2 here.
// Cluster workers (--workers) inherit these flags.
// Commands are registered in command-loaders.ts (each module loaded only when
// its command runs), the flags that may repeat in repeated-flags.ts, and the
// parser's settings in parser.ts; this file runs one command line.
import { hideBin } from 'yargs/helpers';
import { COMMANDS, commandsFor, isCommandName, type Register } from './command-loaders.js';
import { EXIT_INVALID, reportAndExit } from './exit.js';
import { printJson, wantsJson } from './json-output.js';
import { buildParser, completionWords, ParseFailure } from './parser.js';

// A reader that stops early (`faultmesh run --dry-run | head`) closes the pipe. That ends the output, not the
// command: a run still finishes and reverts what it injected, so later output is dropped instead of throwing EPIPE.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code !== 'EPIPE') throw err;
  process.stdout.write = (() => true) as typeof process.stdout.write;
});

/** A refused command line: the whole help only when no command was named; else one sentence and the short usage of what was meant. */
async function explainAndExit(argv: readonly string[], failure: ParseFailure, parser: ReturnType<typeof buildParser>): Promise<never> {
  // Loaded only for a refused line: a proxy that starts well never reads the command tree.
  const { explainFailure, firstWord } = await import('./explain-failure.js');
  const { message, usage } = await explainFailure(argv, failure.message);
  if (wantsJson(argv)) {
    printJson({ error: { code: 'USAGE', message, ...(usage ? { usage } : {}) } });
    process.exit(EXIT_INVALID);
  }
  if (firstWord(argv) === undefined) {
    parser.showHelp();
    process.stderr.write('\n');
  }
  process.stderr.write(`faultmesh: ${message}\n${usage ? `${usage}\n` : ''}`);
  process.exit(EXIT_INVALID);
}

/** A completion of the first word needs the names only (no module); of a later word, the module of the command typed. */
async function registersFor(argv: readonly string[]): Promise<Register[]> {
  const completing = completionWords(argv);
  if (!completing) return commandsFor(argv);
  return completing.length > 1 && isCommandName(completing[0]) ? [await COMMANDS[completing[0]]!()] : [];
}

const argv = hideBin(process.argv);
let parser: ReturnType<typeof buildParser> | undefined;
// parseAsync can throw before it returns a promise (middleware), so both paths are caught here.
try {
  parser = buildParser(await registersFor(argv));
  await parser.parseAsync(argv);
} catch (err) {
  if (err instanceof ParseFailure && parser) await explainAndExit(argv, err, parser);
  reportAndExit(err, wantsJson(argv) ? 'json' : 'text');
}
