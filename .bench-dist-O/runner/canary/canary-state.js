import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
export const stateDir = (env = process.env) => env.FAULTMESH_STATE_DIR || join(tmpdir(), 'faultmesh-canaries');
// A suffix of its own: a journal named NAME.json in the same folder must never be taken for the state, or overwrite it.
const SUFFIX = '.canary-state.json';
const fileOf = (dir, name) => join(dir, `${name}${SUFFIX}`);
export function writeState(state, dir = stateDir()) {
    mkdirSync(dir, { recursive: true });
    const tmp = `${fileOf(dir, state.name)}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`);
    renameSync(tmp, fileOf(dir, state.name));
}
/** Removes the file only if it is still this process's (a newer run of the same name keeps its own). */
export function removeState(name, pid = process.pid, dir = stateDir()) {
    if (readState(name, dir)?.pid === pid)
        rmSync(fileOf(dir, name), { force: true });
}
export function readState(name, dir = stateDir()) {
    try {
        return JSON.parse(readFileSync(fileOf(dir, name), 'utf8'));
    }
    catch {
        return undefined;
    }
}
/** Every canary with a state file whose process still runs; files of dead processes are tidied away. */
export function runningCanaries(dir = stateDir()) {
    let names;
    try {
        names = readdirSync(dir).filter((f) => f.endsWith(SUFFIX));
    }
    catch {
        return [];
    }
    return names.flatMap((f) => {
        const state = readState(f.slice(0, -SUFFIX.length), dir);
        if (!state)
            return [];
        if (runsCanary(state.pid))
            return [state];
        rmSync(join(dir, f), { force: true });
        return [];
    });
}
/**
 * The process runs and is a faultmesh canary: a state file left by a
 * process that died may name a PID the system has given to another
 * program since, which must never be signalled. Where /proc cannot say
 * (not Linux), a live PID is taken at its word.
 */
export function runsCanary(pid) {
    if (!Number.isInteger(pid) || pid <= 1 || !alive(pid))
        return false;
    try {
        const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
        return argv.includes('canary') && argv.includes('run');
    }
    catch {
        return process.platform !== 'linux';
    }
}
export function alive(pid) {
    try {
        process.kill(pid, 0);
        return true;
    }
    catch (err) {
        // EPERM: it runs, as someone else.
        return err.code === 'EPERM';
    }
}
//# sourceMappingURL=canary-state.js.map