import { ConfigError } from '../proxy/config/config-error.js';
/** Exit codes: 0 ok, 1 failure at run time, 2 invalid input (files, flags). */
export const EXIT_FAILED = 1;
export const EXIT_INVALID = 2;
/** `status` and `mesh diff`: the command worked, and what it compared differs (discrepancies, changes). */
export const EXIT_DIFFERS = 3;
/** Input errors the user must fix; printed without a stack trace. */
export class UsageError extends Error {
    code = 'USAGE';
    name = 'UsageError';
}
/**
 * A failure at run time that the command has explained itself (a control
 * plane that did not answer, a refusal): printed as its message, without a
 * stack trace; `code` is what `--json` reports.
 * @example throw new CommandFailure('http://127.0.0.1:15100: unreachable: connect ECONNREFUSED', 'UNREACHABLE')
 */
export class CommandFailure extends Error {
    code;
    exitCode;
    name = 'CommandFailure';
    constructor(message, code = 'FAILED', exitCode = EXIT_FAILED) {
        super(message);
        this.code = code;
        this.exitCode = exitCode;
    }
}
/** The one place an error becomes an exit code and a message, for text and for --json alike. */
export function errorReport(err) {
    if (err instanceof ConfigError)
        return { exitCode: EXIT_INVALID, code: err.code, message: err.message, issues: err.issues };
    if (err instanceof CommandFailure)
        return { exitCode: err.exitCode, code: err.code, message: err.message };
    const e = err;
    const code = typeof e?.code === 'string' ? e.code : undefined;
    const message = typeof e?.message === 'string' ? e.message : String(err);
    // Any error coded USAGE is bad input (a UsageError, or a report's unreadable journal); ADMIN_EXPOSED is a refused flag.
    if (code === 'USAGE' || code === 'ADMIN_EXPOSED')
        return { exitCode: EXIT_INVALID, code, message };
    if (code === 'EADDRINUSE' || code === 'EACCES')
        return { exitCode: EXIT_FAILED, code, message: `cannot listen: ${message}` };
    return { exitCode: EXIT_FAILED, code: code ?? 'INTERNAL', message, ...(err instanceof Error && err.stack ? { stack: err.stack } : {}) };
}
/** The text of an error on stderr: `faultmesh: message`, a ConfigError's issues with their count, a stack only for the unexpected. */
export function errorText(r) {
    if (r.issues)
        return `${r.message}\n${r.issues.length} error${r.issues.length === 1 ? '' : 's'}\n`;
    return `faultmesh: ${r.stack ?? r.message}\n`;
}
/**
 * The document `--json` prints instead of its result when the command
 * failed, as the only thing on stdout: `{"error": {"code", "message", "issues"?}}`.
 */
export function errorDocument(r) {
    return { error: { code: r.code, message: r.message, ...(r.issues ? { issues: r.issues } : {}) } };
}
/** Prints an error the way a user (or, with `json`, a script) can act on it, and exits with its code. */
export function reportAndExit(err, format = 'text') {
    const r = errorReport(err);
    if (format === 'json') {
        process.stdout.write(`${JSON.stringify(errorDocument(r), null, 2)}\n`);
        // A bug is still told to the person running the script, with its stack.
        if (r.stack)
            process.stderr.write(errorText(r));
    }
    else
        process.stderr.write(errorText(r));
    process.exit(r.exitCode);
}
//# sourceMappingURL=exit.js.map