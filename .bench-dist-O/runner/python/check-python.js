import { spawnSync } from 'node:child_process';
import { lastLines } from './bridge-process.js';
import { BRIDGE_SOURCE } from './bridge-source.js';
import { importAdvice } from './extension-packages.js';
import { missingInterpreter } from './python-env.js';
/** Importing an extension can be slow (chaosk8s, chaosaws); a check that takes longer than this is given up. */
export const CHECK_TIMEOUT_MS = 60_000;
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
export function checkPythonSites(sites, choice, sysPath) {
    if (sites.length === 0)
        return { errors: [], warnings: [] };
    const checks = sites.map((s) => ({ module: s.module, func: s.func, arguments: s.arguments ?? [], control: s.control }));
    const run = spawnSync(choice.interpreter, ['-u', '-c', BRIDGE_SOURCE, 'check'], {
        input: JSON.stringify({ sys_path: sysPath, checks }),
        stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
        timeout: CHECK_TIMEOUT_MS,
        killSignal: 'SIGKILL',
        maxBuffer: 16 * 1024 * 1024,
    });
    const everySite = (message) => ({ errors: sites.map((s) => ({ path: [...s.path, 'type'], message: message(s.who) })), warnings: [] });
    const code = run.error?.code;
    if (code === 'ENOENT' || code === 'EACCES')
        return everySite((who) => `${who} needs Python: ${missingInterpreter(choice, code)}`);
    let results;
    try {
        results = JSON.parse(String(run.output?.[3] ?? '')).results;
    }
    catch {
        // No answer: said below, with what the interpreter printed.
    }
    if (!results || results.length !== sites.length) {
        const why = code === 'ETIMEDOUT' ? `did not finish within ${CHECK_TIMEOUT_MS / 1000}s` : `failed (${run.signal ?? `exit ${run.status}`}${lastLines(String(run.stderr ?? '')) ? `: ${lastLines(String(run.stderr))}` : ''})`;
        return everySite((who) => `${who} cannot be checked: ${choice.interpreter} ${why}; faultmesh needs Python 3`);
    }
    const found = sites.flatMap((s, i) => (results[i] ?? []).map((p) => {
        const message = p.missing ? `${p.message}; ${importAdvice(p.missing, choice)}` : p.message;
        if (!p.field)
            return { warning: p.level === 'warning', issue: { path: s.path.slice(0, -1), message: `${s.who}: ${message}` } };
        // `arguments.NAME`: the name as given, dots and all.
        const [head, ...rest] = p.field.split('.');
        return { warning: p.level === 'warning', issue: { path: [...s.path, head, ...(rest.length ? [rest.join('.')] : [])], message } };
    }));
    return { errors: found.filter((f) => !f.warning).map((f) => f.issue), warnings: found.filter((f) => f.warning).map((f) => f.issue) };
}
//# sourceMappingURL=check-python.js.map