import { accessSync, constants, statSync } from 'node:fs';
import { homedir } from 'node:os';
/** Why `file` cannot be executed by this user, or undefined when it can. */
function notRunnable(file) {
    let isDirectory;
    try {
        isDirectory = statSync(file).isDirectory();
    }
    catch {
        return 'does not exist';
    }
    if (isDirectory)
        return 'is a directory, not a program';
    try {
        accessSync(file, constants.X_OK);
    }
    catch {
        return 'is not executable';
    }
    return undefined;
}
/**
 * Finds a process provider's `path` as Chaos Toolkit does (shutil.which, after
 * expanding `~`): a name with a slash is taken as it is, relative to the
 * current directory; a bare name is searched on PATH (an empty PATH entry is
 * the current directory). Either way the file must be executable by this user:
 * on PATH a file that is not is skipped, as which skips it.
 *
 * @example findProgram('sh') // { ok: true, path: '/usr/bin/sh' }
 */
export function findProgram(path, env = process.env) {
    const expanded = path === '~' || path.startsWith('~/') ? `${homedir()}${path.slice(1)}` : path;
    if (expanded.includes('/')) {
        const why = notRunnable(expanded);
        if (!why)
            return { ok: true, path: expanded };
        if (why === 'is not executable')
            return { ok: false, reason: `"${path}" is not executable: chmod +x it, or run it through its interpreter (path: sh, arguments: [${path}])` };
        return { ok: false, reason: `"${path}" ${why}${expanded.startsWith('/') ? '' : ` (relative to the current directory, ${process.cwd()})`}` };
    }
    const dirs = (env.PATH ?? '').split(':');
    for (const dir of dirs) {
        const candidate = `${dir || '.'}/${expanded}`;
        if (!notRunnable(candidate))
            return { ok: true, path: candidate };
    }
    return { ok: false, reason: `"${path}" is not found on PATH (${dirs.filter(Boolean).length} directories searched): install it, or give its path` };
}
//# sourceMappingURL=program-path.js.map