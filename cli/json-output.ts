// `--json` on every command that prints state: stdout then holds exactly one
// JSON document, the command's result or, when it failed, the error document
// of exit.ts (`{"error": {"code", "message", "issues"?}}`) with a non-zero
// exit. A command prints its result with printJson and throws its failures
// (UsageError, CommandFailure, ConfigError); main.ts prints those as JSON
// whenever the words asked for it, so no command formats an error twice.

/**
 * Prints one JSON document on stdout, indented, ending in a newline.
 * @example printJson({ canaries: [], overrides: [] })
 */
export function printJson(doc: unknown): void {
  process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
}

/** True when the command line asks for JSON: `--json` or `--json=true`, before any `--`. */
export function wantsJson(words: readonly string[]): boolean {
  const end = words.indexOf('--');
  return (end < 0 ? words : words.slice(0, end)).some((w) => w === '--json' || w === '--json=true');
}

/** The `--json` flag, described the same way everywhere. */
export const JSON_FLAG = { type: 'boolean', default: false, describe: 'print one JSON document on stdout (errors too, as {"error": {code, message}}), with the same exit code' } as const;
