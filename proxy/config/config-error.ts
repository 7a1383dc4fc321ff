/** One problem in an input file, located as precisely as the source allows. */
export interface SourceIssue {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** Dotted path to the field, e.g. `services.payments.instances[0].address`. */
  readonly field: string;
  readonly message: string;
}

/**
 * Thrown when a configuration file (mesh, experiment, fault rule) is invalid.
 * Carries every issue found, not just the first, so a user fixes them in one go.
 */
export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  override readonly name = 'ConfigError';
  constructor(readonly issues: readonly SourceIssue[]) {
    super(issues.map(formatIssue).join('\n'));
  }
}

/** `file:line:column field: message`, the format editors and CI logs can jump to. */
export function formatIssue(issue: SourceIssue): string {
  const field = issue.field ? `${issue.field}: ` : '';
  return `${issue.file}:${issue.line}:${issue.column} ${field}${issue.message}`;
}

/** Renders a zod-style path as `a.b[0].c`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}
