import { spawn } from 'node:child_process';
import { accessSync, constants, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
/**
 * How long anything waits for a process it started to be ready, the demo
 * and the tests alike. Generous on purpose: five proxies starting at once
 * under tsx took 19 s on a busy 2-core machine. Every start-up wait derives
 * from this one value.
 */
export const STARTUP_TIMEOUT_MS = 60_000;
/** The fields of /proc/PID/stat after the command name (state is [0], ppid [1]); undefined once the process is gone. */
function statFields(pid) {
    try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        return stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
    }
    catch {
        return undefined;
    }
}
/**
 * A process and every live descendant of it, root first: a proxy with
 * workers is a cluster primary and its children, and what it costs is the
 * whole tree's. Empty where /proc is missing or the process is gone.
 */
export function processTree(root) {
    if (root === undefined || statFields(root) === undefined)
        return [];
    const children = new Map();
    for (const entry of readdirSync('/proc')) {
        if (!/^\d+$/.test(entry))
            continue;
        const ppid = Number(statFields(Number(entry))?.[1]);
        if (Number.isNaN(ppid))
            continue; // gone since the listing
        const siblings = children.get(ppid);
        if (siblings)
            siblings.push(Number(entry));
        else
            children.set(ppid, [Number(entry)]);
    }
    const tree = [root];
    for (let i = 0; i < tree.length; i++)
        tree.push(...(children.get(tree[i]) ?? []));
    return tree;
}
/**
 * user + system time of a process tree from /proc/PID/stat, in clock ticks
 * of 10 ms (Linux's USER_HZ). Each process counts its own time and that of
 * children it has reaped, so a worker that exited and was replaced is still
 * counted, in its parent.
 */
export function cpuMsOf(pid) {
    const tree = processTree(pid);
    if (tree.length === 0)
        return Number.NaN;
    let ticks = 0;
    for (const p of tree) {
        const f = statFields(p);
        if (f)
            ticks += Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
    }
    return ticks * 10;
}
/** How to run a script: an executable as it is (faultmesh's bin carries V8 flags in its shebang), TypeScript through tsx, else under this node. */
function command(script, args) {
    if (isExecutable(script))
        return [script, [...args]];
    if (script.endsWith('.ts'))
        return [process.execPath, ['--import', 'tsx', script, ...args]];
    return [process.execPath, [script, ...args]];
}
/**
 * Starts a node script in its own process and waits for the line that gives
 * its port: JSON with `"port":N` on stdout, or faultmesh's "proxy on
 * http://..:N" or "control plane on http://..:N" on stderr. A child that
 * exits first, or stays silent, fails with what it printed on stderr.
 */
export function startChild(script, args, options = {}) {
    const [cmd, argv] = command(script, args);
    const name = options.name ?? script;
    const timeoutMs = options.timeoutMs ?? STARTUP_TIMEOUT_MS;
    const proc = spawn(cmd, argv, { stdio: [options.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'], env: { ...process.env, ...options.env } });
    const said = [];
    return new Promise((resolve, reject) => {
        const timer = setTimeout(() => fail(`did not report a port within ${timeoutMs}ms`), timeoutMs);
        const fail = (why) => {
            clearTimeout(timer);
            proc.kill('SIGKILL');
            const last = said.slice(-5).join('\n  ');
            reject(new Error(`${name} ${why}${last ? `:\n  ${last}` : ''}`));
        };
        const onLine = (line) => {
            said.push(line);
            if (said.length > 20)
                said.shift(); // a long-lived child keeps talking; only the last lines explain a failure
            const m = /"port":(\d+)/.exec(line) ?? /(?:proxy|control plane) on http:\/\/[^ ]*:(\d+)/.exec(line);
            if (!m)
                return;
            clearTimeout(timer);
            proc.removeListener('exit', onExit);
            const admin = /admin on (http:\/\/\S+)/.exec(line)?.[1];
            resolve({ proc, port: Number(m[1]), readyLine: line, ...(admin ? { adminUrl: admin } : {}), cpuMs: () => cpuMsOf(proc.pid), stop: () => stopChild(proc) });
        };
        const onExit = (code) => fail(`exited with ${code} before it was ready`);
        createInterface({ input: proc.stdout }).on('line', onLine);
        createInterface({ input: proc.stderr }).on('line', onLine);
        proc.once('exit', onExit);
        proc.once('error', (err) => fail(`could not start: ${err.message}`));
    });
}
/** SIGTERM, then SIGKILL after 5 s; resolves when the process is gone. */
export function stopChild(proc) {
    if (proc.exitCode !== null || proc.signalCode !== null)
        return Promise.resolve();
    return new Promise((resolve) => {
        const force = setTimeout(() => proc.kill('SIGKILL'), 5000);
        proc.once('exit', () => {
            clearTimeout(force);
            resolve();
        });
        proc.kill('SIGTERM');
    });
}
function isExecutable(file) {
    try {
        accessSync(file, constants.X_OK);
        return true;
    }
    catch {
        return false;
    }
}
/** The folders `npm run build` compiles into dist/ (tsconfig.json's include, bench aside). */
const BUILT_DIRS = ['proxy', 'control', 'runner', 'reports', 'cli', 'importers', 'toxiproxy', 'demo'];
const freshness = new Map();
/** Whether every source file under `root` has a compiled twin in `root`/dist at least as new: a stale build would run old code. */
function buildIsFresh(root) {
    let fresh = freshness.get(root);
    if (fresh === undefined) {
        fresh = BUILT_DIRS.every((dir) => {
            if (!existsSync(join(root, dir)))
                return true;
            return readdirSync(join(root, dir), { recursive: true })
                .filter((f) => f.endsWith('.ts'))
                .every((f) => {
                const twin = join(root, 'dist', dir, f.replace(/\.ts$/, '.js'));
                return existsSync(twin) && statSync(twin).mtimeMs >= statSync(join(root, dir, f)).mtimeMs;
            });
        });
        freshness.set(root, fresh);
    }
    return fresh;
}
/**
 * The compiled twin under dist/ of a TypeScript source file, when the whole
 * build is up to date; else undefined. A child started from it skips tsx's
 * compile, which is most of its start-up time.
 *
 * @example builtTwin('/repo/cli/main.ts', '/repo') // '/repo/dist/cli/main.js' after `npm run build`
 */
export function builtTwin(sourceFile, root) {
    if (!sourceFile.endsWith('.ts'))
        return undefined;
    const twin = join(root, 'dist', relative(root, sourceFile)).replace(/\.ts$/, '.js');
    return existsSync(twin) && buildIsFresh(root) ? twin : undefined;
}
const SOURCE_ROOT = fileURLToPath(new URL('..', import.meta.url));
/**
 * The script to start for a module given without its extension (relative to
 * the caller's `import.meta.url`): the .js beside it when running built, else
 * the built twin of the .ts when the build is fresh, else the .ts (run through tsx).
 */
export function scriptFor(base) {
    const path = fileURLToPath(base);
    if (existsSync(`${path}.js`))
        return `${path}.js`;
    return builtTwin(`${path}.ts`, SOURCE_ROOT) ?? `${path}.ts`;
}
//# sourceMappingURL=children.js.map