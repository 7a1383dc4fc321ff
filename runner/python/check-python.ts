import { spawnSync } from 'node:child_process';
import type { FieldIssue } from '../../proxy/config/config-error.js';
import { lastLines } from './bridge-process.js';
import { BRIDGE_SOURCE } from './bridge-source.js';
import { importAdvice } from './extension-packages.js';
import { missingInterpreter, type PythonChoice } from './python-env.js';

/** One python activity, tolerance probe or control of an experiment, where the file declares it. */
export interface PythonSite {
  /** The path to its `provider`. */
  readonly path: readonly PropertyKey[];
  /** For messages: `activity "kill-pod"`, `control "tracing"`. */
  readonly who: string;
  readonly module: string;
  /** Absent for a control (its hooks are optional). */
  readonly func?: string;
  /** The argument names given. */
  readonly arguments?: readonly string[];
  /** A control as written, for its module's own validate_control. */
  readonly control?: unknown;
}

/** Importing an extension can be slow (chaosk8s, chaosaws); a check that takes longer than this is given up. */
export const CHECK_TIMEOUT_MS = 60_000;

interface Problem {
  readonly field: string;
  readonly message: string;
  /** Not an error: something Python cannot show (a builtin's arguments), which the user should know. */
  readonly level?: 'warning';
  /** A top-level module the interpreter does not have, which installing may give (extension-packages.ts). */
  readonly missing?: string;
}

/** What checking found: errors, which stop validate and run, and warnings, which they print. */
export interface PythonCheck {
  readonly errors: FieldIssue[];
  readonly warnings: FieldIssue[];
}

/**
 * Checks every python site in one Python process, as chaoslib's validation
 * does: the module imports, the function exists, the arguments fit its
 * signature (required ones given, unknown ones refused unless it takes
 * **kwargs). A control's module must import, and its validate_control, if
 * any, must accept it. Each problem is a FieldIssue at the provider's
 * `module`, `func` or `arguments.NAME`. A module that does not import is
 * said with the interpreter used and what to do; a builtin whose arguments
 * Python cannot show is a warning, or an error when its C code is known to
 * refuse keyword arguments. Synchronous, like the rest of loading.
 */
export function checkPythonSites(sites: readonly PythonSite[], choice: PythonChoice, sysPath: readonly string[]): PythonCheck {
  if (sites.length === 0) return { errors: [], warnings: [] };
  const checks = sites.map((s) => ({ module: s.module, func: s.func, arguments: s.arguments ?? [], control: s.control }));
  const run = spawnSync(choice.interpreter, ['-u', '-c', BRIDGE_SOURCE, 'check'], {
    input: JSON.stringify({ sys_path: sysPath, checks }),
    stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
    timeout: CHECK_TIMEOUT_MS,
    killSignal: 'SIGKILL',
    maxBuffer: 16 * 1024 * 1024,
  });
  const everySite = (message: (who: string) => string): PythonCheck => ({ errors: sites.map((s) => ({ path: [...s.path, 'type'], message: message(s.who) })), warnings: [] });
  const code = (run.error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT' || code === 'EACCES') return everySite((who) => `${who} needs Python: ${missingInterpreter(choice, code)}`);
  let results: Problem[][] | undefined;
  try {
    results = (JSON.parse(String(run.output?.[3] ?? '')) as { results: Problem[][] }).results;
  } catch {
    // No answer: said below, with what the interpreter printed.
  }
  if (!results || results.length !== sites.length) {
    const why = code === 'ETIMEDOUT' ? `did not finish within ${CHECK_TIMEOUT_MS / 1000}s` : `failed (${run.signal ?? `exit ${run.status}`}${lastLines(String(run.stderr ?? '')) ? `: ${lastLines(String(run.stderr))}` : ''})`;
    return everySite((who) => `${who} cannot be checked: ${choice.interpreter} ${why}; faultmesh needs Python 3`);
  }
  const found = sites.flatMap((s, i) =>
    (results[i] ?? []).map((p) => {
      const message = p.missing ? `${p.message}; ${importAdvice(p.missing, choice)}` : p.message;
      if (!p.field) return { warning: p.level === 'warning', issue: { path: s.path.slice(0, -1), message: `${s.who}: ${message}` } };
      // `arguments.NAME`: the name as given, dots and all.
      const [head, ...rest] = p.field.split('.');
      return { warning: p.level === 'warning', issue: { path: [...s.path, head!, ...(rest.length ? [rest.join('.')] : [])], message } };
    }),
  );
  return { errors: found.filter((f) => !f.warning).map((f) => f.issue), warnings: found.filter((f) => f.warning).map((f) => f.issue) };
}
