import { ConfigError } from '../proxy/config/config-error.js';

/** Exit codes: 0 ok, 1 failure at run time, 2 invalid input (files, flags). */
export const EXIT_INVALID = 2;

/** Input errors the user must fix; printed without a stack trace. */
export class UsageError extends Error {
  readonly code = 'USAGE';
  override readonly name = 'UsageError';
}

/** Prints an error the way a user can act on it and picks the exit code. */
export function reportAndExit(err: unknown): never {
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n${err.issues.length} error${err.issues.length === 1 ? '' : 's'}\n`);
    process.exit(EXIT_INVALID);
  }
  const e = err as { code?: string; message?: string };
  // Any error coded USAGE is bad input (a UsageError, or a report's unreadable journal); ADMIN_EXPOSED is a refused flag.
  if (e.code === 'USAGE' || e.code === 'ADMIN_EXPOSED') {
    process.stderr.write(`faultmesh: ${e.message}\n`);
    process.exit(EXIT_INVALID);
  }
  if (e.code === 'EADDRINUSE' || e.code === 'EACCES') {
    process.stderr.write(`faultmesh: cannot listen: ${e.message}\n`);
    process.exit(1);
  }
  process.stderr.write(`faultmesh: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
}
