import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

export interface Child {
  readonly proc: ChildProcess;
  readonly port: number;
  /** The admin API, for faultmesh children. */
  readonly adminUrl?: string;
  /** CPU time the process has used, all threads, in ms (NaN where /proc is missing). */
  cpuMs(): number;
  stop(): Promise<void>;
}

/** user + system time from /proc/PID/stat, in clock ticks of 10 ms (Linux's USER_HZ). */
function cpuMsOf(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}

/**
 * Starts a node script in its own process and waits for the line that gives
 * its port: JSON `{"port":N}` on stdout, or faultmesh's "proxy on http://..:N"
 * on stderr.
 */
export function startChild(script: string, args: string[], timeoutMs = 10_000): Promise<Child> {
  // An executable script runs as users run it (the faultmesh bin's shebang
  // carries its V8 flags); anything else runs under this node.
  const proc = isExecutable(script)
    ? spawn(script, args, { stdio: ['ignore', 'pipe', 'pipe'] })
    : spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`${script} did not report a port within ${timeoutMs}ms`)), timeoutMs);
    const fail = (err: Error) => {
      clearTimeout(timer);
      proc.kill('SIGKILL');
      reject(err);
    };
    const onLine = (line: string) => {
      const m = /"port":(\d+)/.exec(line) ?? /proxy on http:\/\/[^ ]*:(\d+)/.exec(line);
      if (!m) return;
      clearTimeout(timer);
      const admin = /admin on (http:\/\/\S+)/.exec(line)?.[1];
      resolve({ proc, port: Number(m[1]), ...(admin ? { adminUrl: admin } : {}), cpuMs: () => cpuMsOf(proc.pid), stop: () => stopChild(proc) });
    };
    createInterface({ input: proc.stdout! }).on('line', onLine);
    createInterface({ input: proc.stderr! }).on('line', onLine);
    proc.once('exit', (code) => fail(new Error(`${script} exited with ${code} before reporting a port`)));
  });
}

function stopChild(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => proc.kill('SIGKILL'), 5000);
    proc.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    proc.kill('SIGTERM');
  });
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
