import { spawn } from 'node:child_process';
import { formatDuration, timerMs } from '../../proxy/config/duration.js';
import { findProgram } from './program-path.js';
/** Each of stdout and stderr keeps its last 1 MiB: a chatty program must not fill the runner's memory or the journal. */
const MAX_OUTPUT = 1024 * 1024;
/** A word the shell reads as it is; anything else is single-quoted, so a path with a space still names one program. */
const shellWord = (word) => (/^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`);
/**
 * What runs, as Chaos Toolkit runs it: a string of arguments goes to a shell
 * (`/bin/sh -c "<program> <arguments>"`, its `shell=True`), so quotes,
 * pipes, `$VARS` and globs mean what they mean in a shell; a list is the
 * program's argv, with no shell at all.
 */
export function commandOf(program, args) {
    if (typeof args === 'string')
        return { file: '/bin/sh', argv: ['-c', `${shellWord(program)} ${args}`] };
    return { file: program, argv: [...args] };
}
/**
 * Chaos Toolkit's process provider: runs `path` with its arguments and
 * returns its exit status and output. A non-zero exit is output for the
 * tolerance to judge; a program that cannot be found, or that runs past
 * `timeout` (ms once parsed), fails the activity. The child inherits the
 * runner's environment, reads no stdin, and runs in a process group of its
 * own, so a timeout or an interrupt also ends what a shell started.
 */
export function runProcess(p, ctx) {
    return new Promise((resolve, reject) => {
        // Checked before spawning, so a bad timeout never leaves a child behind.
        const timeoutMs = p.timeout ? timerMs(p.timeout) : undefined;
        const program = findProgram(p.path);
        if (!program.ok)
            return reject(new Error(`cannot run "${p.path}": ${program.reason}`));
        if (ctx.signal.aborted)
            return reject(new Error(`"${p.path}" was not started: the run was stopped`));
        const { file, argv } = commandOf(program.path, p.arguments);
        const child = spawn(file, argv, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
        let stdout = '';
        let stderr = '';
        child.stdout.setEncoding('utf8').on('data', (d) => (stdout = (stdout + d).slice(-MAX_OUTPUT)));
        child.stderr.setEncoding('utf8').on('data', (d) => (stderr = (stderr + d).slice(-MAX_OUTPUT)));
        let ended = false;
        let killedFor;
        const killGroup = (why) => {
            if (ended || child.pid === undefined)
                return;
            killedFor ??= why;
            try {
                // The group the child leads: a shell's own children go with it. It exists until its last member has gone.
                process.kill(-child.pid, 'SIGKILL');
            }
            catch {
                // Already gone.
            }
        };
        const timer = timeoutMs ? setTimeout(() => killGroup('timeout'), timeoutMs) : undefined;
        const onAbort = () => killGroup('abort');
        ctx.signal.addEventListener('abort', onAbort, { once: true });
        const settle = () => {
            ended = true;
            clearTimeout(timer);
            ctx.signal.removeEventListener('abort', onAbort);
        };
        child.once('error', (err) => {
            settle();
            reject(err);
        });
        child.once('close', (status) => {
            settle();
            if (killedFor === 'timeout')
                reject(new Error(`"${p.path}" ran past its ${formatDuration(p.timeout)} timeout and was killed`));
            else if (killedFor === 'abort')
                reject(new Error(`"${p.path}" was killed: the run was stopped`));
            else
                resolve({ status, stdout, stderr });
        });
    });
}
//# sourceMappingURL=process.js.map