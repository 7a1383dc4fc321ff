import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { STARTUP_TIMEOUT_MS, stopChild } from '../../demo/children.js';
/**
 * Starts `faultmesh control` on a port the OS picks and waits for the line
 * that names its URL. With BENCH_CPU_PROF=DIR it runs under `node
 * --cpu-prof` (the profile is written when it stops), without the bin's
 * shebang flags, which the profile does not need. `storeArgs` picks the
 * store (`--store etcd://… --etcd-prefix …`); none: the memory store.
 */
export function startControl(cli, token, storeArgs = []) {
    const args = ['control', '--listen', '127.0.0.1:0', ...storeArgs];
    const profile = process.env.BENCH_CPU_PROF;
    const [cmd, argv] = profile ? [process.execPath, ['--cpu-prof', '--cpu-prof-dir', profile, cli, ...args]] : [cli, args];
    const proc = spawn(cmd, argv, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, FAULTMESH_CONTROL_TOKEN: token } });
    const said = [];
    return new Promise((resolve, reject) => {
        const fail = (why) => {
            clearTimeout(timer);
            proc.kill('SIGKILL');
            reject(new Error(`faultmesh control ${why}:\n  ${said.slice(-5).join('\n  ')}`));
        };
        const timer = setTimeout(() => fail(`did not say where it listens within ${STARTUP_TIMEOUT_MS} ms`), STARTUP_TIMEOUT_MS);
        const onExit = (code) => fail(`exited with ${code} before it listened`);
        proc.once('exit', onExit);
        createInterface({ input: proc.stderr }).on('line', (line) => {
            said.push(line);
            const url = /control plane on (http:\/\/\S+)/.exec(line)?.[1];
            if (!url)
                return;
            clearTimeout(timer);
            proc.removeListener('exit', onExit);
            resolve({ url, proc, stop: () => stopChild(proc) });
        });
    });
}
/** user + system CPU time of a process, all threads, in ms (from /proc; ticks of 10 ms). */
export function cpuMs(pid) {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
}
/** Resident set size in MiB (VmRSS in /proc/PID/status). */
export function rssMiB(pid) {
    const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return Number(kb) / 1024;
}
//# sourceMappingURL=control-process.js.map