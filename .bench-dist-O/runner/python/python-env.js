import { statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
/** A bad `--python` value: the user's mistake, said in one line with exit 2 (code USAGE, as cli/exit.ts reads it). */
export class PythonFlagError extends Error {
    code = 'USAGE';
    name = 'PythonFlagError';
}
/**
 * `--python PATH`, else FAULTMESH_PYTHON, else `python3` on PATH. A
 * `--python` given with no value (yargs makes it '') is refused: falling
 * back would check and run with an interpreter the user did not mean.
 *
 * @example resolvePython(args.python) // { interpreter: 'python3', from: 'PATH' }
 */
export function resolvePython(flag, env = process.env) {
    if (flag !== undefined && flag.trim() === '')
        throw new PythonFlagError('--python needs the path of a Python interpreter, e.g. --python /usr/bin/python3 (leave the flag out to use FAULTMESH_PYTHON, else python3 on PATH)');
    if (flag)
        return { interpreter: flag, from: '--python' };
    if (env.FAULTMESH_PYTHON)
        return { interpreter: env.FAULTMESH_PYTHON, from: 'FAULTMESH_PYTHON' };
    return { interpreter: 'python3', from: 'PATH' };
}
/** Where modules of an experiment are looked for, besides the interpreter's own path: its folder and the current directory. */
export const sysPathFor = (experimentFile) => [...new Set([dirname(resolve(experimentFile)), process.cwd()])];
const isDirectory = (path) => {
    try {
        return statSync(path).isDirectory();
    }
    catch {
        return false;
    }
};
/** The interpreter could not be started: why, in the words of where it was chosen. */
export function missingInterpreter(choice, code) {
    const named = choice.from === 'PATH' ? choice.interpreter : `${choice.from} ${choice.interpreter}`;
    // Spawning a directory fails with EACCES, which would read as a permission problem.
    if (code === 'EACCES' && choice.interpreter.includes('/') && isDirectory(choice.interpreter)) {
        const inside = [join(choice.interpreter, 'bin', 'python3'), join(choice.interpreter, 'python3')].find((p) => !isDirectory(p) && statSync(p, { throwIfNoEntry: false }) !== undefined);
        return `${named} is a directory, not a Python interpreter; name the interpreter itself${inside ? `, e.g. ${inside}` : ' (the python3 file, e.g. /usr/bin/python3)'}`;
    }
    const why = code === 'ENOENT' ? (choice.from === 'PATH' ? 'is not on PATH' : 'does not exist') : code === 'EACCES' ? 'cannot be run (permission denied)' : `cannot be started (${code ?? 'unknown error'})`;
    return `${named} ${why}; install Python 3, or name an interpreter with --python PATH or FAULTMESH_PYTHON`;
}
/** The interpreter is missing or cannot run; names the activity or control that needed it. */
export class PythonMissingError extends Error {
    code = 'PYTHON_MISSING';
    name = 'PythonMissingError';
}
//# sourceMappingURL=python-env.js.map