import { callPython } from '../python/call-python.js';
import { resolvePython } from '../python/python-env.js';
/** A python provider with no `timeout` of its own gets this long (Chaos Toolkit sets none; a hung call must not hold a run forever). */
export const DEFAULT_PYTHON_TIMEOUT_MS = 5 * 60_000;
const NO_PYTHON_ENV = () => ({ choice: resolvePython(), sysPath: [process.cwd()], configuration: {}, secrets: {} });
/**
 * Chaos Toolkit's python provider, with everything the call returned: the
 * value, Python's own truth of it (for probe tolerances) and what it printed.
 * `configuration` and the declared scopes' `secrets` are passed only to a
 * function that takes them, as chaoslib does.
 */
export async function callPythonProvider(p, ctx, who = `activity "${ctx.activity}"`) {
    const env = ctx.python ?? NO_PYTHON_ENV();
    const scopes = p.secrets ?? ctx.secretScopes;
    const secrets = scopes ? Object.assign({}, ...scopes.map((s) => env.secrets[s] ?? {})) : null;
    try {
        const result = await callPython(env.choice, { module: p.module, func: p.func, arguments: p.arguments, configuration: env.configuration, secrets, sysPath: env.sysPath }, { signal: ctx.signal, timeoutMs: p.timeout ?? DEFAULT_PYTHON_TIMEOUT_MS, who });
        ctx.onLogs?.(result.logs);
        return result;
    }
    catch (err) {
        const logs = err.logs;
        if (logs)
            ctx.onLogs?.(logs);
        throw err;
    }
}
/**
 * `module.func(**arguments)` in a Python child process; its return value is
 * the activity's output. A raised exception fails the activity with
 * `ExceptionType: message`, its traceback on the error's `exception`.
 */
export async function runPython(p, ctx) {
    return (await callPythonProvider(p, ctx)).value;
}
//# sourceMappingURL=python.js.map