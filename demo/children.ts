import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

export interface Child {
  readonly proc: ChildProcess;
  readonly port: number;
  /** The admin API, for faultmesh children. */
  readonly adminUrl?: string;
  /** The line that said the child was ready. */
  readonly readyLine: string;
  /** CPU time the process has used, all threads, in ms (NaN where /proc is missing). */
  cpuMs(): number;
  stop(): Promise<void>;
}

export interface StartOptions {
  readonly timeoutMs?: number;
  readonly env?: NodeJS.ProcessEnv;
  /** A name for messages (default: the script). */
  readonly name?: string;
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

/** How to run a script: an executable as it is (faultmesh's bin carries V8 flags in its shebang), TypeScript through tsx, else under this node. */
function command(script: string, args: readonly string[]): [string, string[]] {
  if (isExecutable(script)) return [script, [...args]];
  if (script.endsWith('.ts')) return [process.execPath, ['--import', 'tsx', script, ...args]];
  return [process.execPath, [script, ...args]];
}

/**
 * Starts a node script in its own process and waits for the line that gives
 * its port: JSON with `"port":N` on stdout, or faultmesh's "proxy on
 * http://..:N" on stderr. A child that exits first, or stays silent, fails
 * with what it printed on stderr.
 */
export function startChild(script: string, args: string[], options: StartOptions = {}): Promise<Child> {
  const [cmd, argv] = command(script, args);
  const name = options.name ?? script;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const proc = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...options.env } });
  const said: string[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(`did not report a port within ${timeoutMs}ms`), timeoutMs);
    const fail = (why: string) => {
      clearTimeout(timer);
      proc.kill('SIGKILL');
      const last = said.slice(-5).join('\n  ');
      reject(new Error(`${name} ${why}${last ? `:\n  ${last}` : ''}`));
    };
    const onLine = (line: string) => {
      said.push(line);
      const m = /"port":(\d+)/.exec(line) ?? /proxy on http:\/\/[^ ]*:(\d+)/.exec(line);
      if (!m) return;
      clearTimeout(timer);
      proc.removeListener('exit', onExit);
      const admin = /admin on (http:\/\/\S+)/.exec(line)?.[1];
      resolve({ proc, port: Number(m[1]), readyLine: line, ...(admin ? { adminUrl: admin } : {}), cpuMs: () => cpuMsOf(proc.pid), stop: () => stopChild(proc) });
    };
    const onExit = (code: number | null) => fail(`exited with ${code} before it was ready`);
    createInterface({ input: proc.stdout! }).on('line', onLine);
    createInterface({ input: proc.stderr! }).on('line', onLine);
    proc.once('exit', onExit);
    proc.once('error', (err) => fail(`could not start: ${err.message}`));
  });
}

/** SIGTERM, then SIGKILL after 5 s; resolves when the process is gone. */
export function stopChild(proc: ChildProcess): Promise<void> {
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
