import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { builtTwin, STARTUP_TIMEOUT_MS, stopChild } from '../../demo/children.js';
import { send, type Reply } from './http-client.js';
import { waitFor } from './wait.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const mainTs = join(root, 'cli', 'main.ts');

/** The CLI as the failure-rule tests start it: the build when it is fresh (a child starts in well under a second), else the source through tsx. */
export const CLI = builtTwin(mainTs, root) ?? mainTs;

/** One faultmesh process a test started, with every line it printed (for failure messages and for lines a test waits on). */
export interface FleetChild {
  readonly name: string;
  readonly proc: ChildProcess;
  /** The data plane (a proxy) or the API (a control plane). */
  readonly url: string;
  readonly port: number;
  /** A proxy's admin API. */
  readonly adminUrl: string | undefined;
  readonly lines: string[];
  /** Resolves with the first line, printed from now on or already, that matches. */
  line(pattern: RegExp, timeoutMs?: number): Promise<string>;
}

const READY = /control plane on (http:\/\/\S+)|proxy on (http:\/\/\S+), admin on (http:\/\/\S+)/;

/**
 * The processes of one test file: control planes and proxies started from
 * the CLI, each one stopped by its PID in after() (stopAll), or killed by
 * the test with SIGKILL as a crash would.
 */
export class Fleet {
  private readonly children = new Set<FleetChild>();

  /** `faultmesh control ARGS`; resolves once it says where it listens. */
  control(args: readonly string[], name = 'control'): Promise<FleetChild> {
    return this.start(name, ['control', ...args]);
  }

  /** `faultmesh proxy ARGS` on loopback ports the OS picks, access log off, a short drain; resolves once it listens. */
  proxy(args: readonly string[], name = 'proxy', env: NodeJS.ProcessEnv = {}): Promise<FleetChild> {
    return this.start(name, ['proxy', '--listen', '127.0.0.1:0', '--admin', '127.0.0.1:0', '--access-log', 'off', '--drain', '1s', ...args], env);
  }

  /** Any other faultmesh command (run, mesh, status), to completion: its exit code and every line it printed. */
  async exec(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<{ readonly code: number | null; readonly stdout: string; readonly stderr: string }> {
    const proc = this.spawn(args, env);
    const tracked = { name: args[0] ?? 'cli', proc } as FleetChild;
    this.children.add(tracked);
    let stdout = '';
    let stderr = '';
    proc.stdout!.on('data', (d) => (stdout += d));
    proc.stderr!.on('data', (d) => (stderr += d));
    const [code] = (await once(proc, 'exit')) as [number | null];
    this.children.delete(tracked);
    return { code, stdout, stderr };
  }

  /** SIGKILL, as a crash: no drain, no goodbye to the control plane. Resolves once the process is gone. */
  async kill(child: FleetChild): Promise<void> {
    this.children.delete(child);
    if (child.proc.exitCode !== null || child.proc.signalCode !== null) return;
    const gone = once(child.proc, 'exit');
    child.proc.kill('SIGKILL');
    await gone;
  }

  /** SIGTERM (SIGKILL after 5 s) to every process still running; for after(). */
  async stopAll(): Promise<void> {
    await Promise.all([...this.children].map((c) => stop(c.proc)));
    this.children.clear();
  }

  private spawn(args: readonly string[], env: NodeJS.ProcessEnv): ChildProcess {
    const [cmd, argv] = CLI.endsWith('.ts') ? [process.execPath, ['--import', 'tsx', CLI, ...args]] : [CLI, [...args]];
    // The caller's FAULTMESH_* settings would point the children elsewhere: each test says what it wants.
    const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('FAULTMESH_')));
    return spawn(cmd, argv, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...inherited, ...env } });
  }

  /**
   * Any other faultmesh command (a run) as a child the test may SIGKILL mid-way: not waited on, its
   * lines kept, stopped by stopAll like the others. `url` and `port` are empty: it serves nothing.
   */
  launch(args: readonly string[], name = args[0] ?? 'cli', env: NodeJS.ProcessEnv = {}): FleetChild {
    const child: FleetChild = { ...this.watch(name, this.spawn(args, env)), url: '', port: 0, adminUrl: undefined };
    this.children.add(child);
    return child;
  }

  private start(name: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<FleetChild> {
    const child = this.watch(name, this.spawn(args, env));
    const { proc, line } = child;
    return line(READY).then(
      (ready) => {
        const m = READY.exec(ready)!;
        const url = (m[1] ?? m[2])!.replace(/[,)]$/, '');
        const started: FleetChild = { ...child, url, port: Number(new URL(url).port), adminUrl: m[3] };
        this.children.add(started);
        return started;
      },
      async (err: Error) => {
        await stop(proc);
        throw err;
      },
    );
  }

  /** Keeps every line a child prints, and answers `line()` from them. */
  private watch(name: string, proc: ChildProcess): Pick<FleetChild, 'name' | 'proc' | 'lines' | 'line'> {
    const lines: string[] = [];
    const waiters = new Set<() => void>();
    const onLine = (l: string) => {
      lines.push(l);
      for (const w of [...waiters]) w();
    };
    createInterface({ input: proc.stdout! }).on('line', onLine);
    createInterface({ input: proc.stderr! }).on('line', onLine);
    const line = (pattern: RegExp, timeoutMs = STARTUP_TIMEOUT_MS) =>
      new Promise<string>((resolve, reject) => {
        const check = () => {
          const found = lines.find((l) => pattern.test(l));
          if (found !== undefined) return done(() => resolve(found));
          if (proc.exitCode !== null || proc.signalCode !== null) done(() => reject(new Error(`${name} ended (${proc.exitCode ?? proc.signalCode}) before printing ${pattern}:\n  ${lines.slice(-8).join('\n  ')}`)));
        };
        const timer = setTimeout(() => done(() => reject(new Error(`${name} printed no line matching ${pattern} within ${timeoutMs}ms:\n  ${lines.slice(-8).join('\n  ')}`))), timeoutMs);
        const done = (settle: () => void) => {
          clearTimeout(timer);
          waiters.delete(check);
          proc.off('exit', check);
          settle();
        };
        waiters.add(check);
        proc.on('exit', check);
        check();
      });
    return { name, proc, lines, line };
  }
}

const stop = stopChild;

/** One JSON call to a control plane or a proxy admin; `token` sends Authorization: Bearer. */
export function call(base: string, method: string, path: string, body?: unknown, token?: string): Promise<Reply> {
  const headers: Record<string, string> = { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: `Bearer ${token}` } : {}) };
  return send(base, { method, path, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
}

export interface ProxyHealth {
  readonly ready: boolean;
  readonly notReadyReason?: string;
  readonly halted: boolean;
  readonly startedAt: string;
  readonly meshVersion: number;
  readonly control: { readonly url: string; readonly connected: boolean; readonly version: number; readonly lastError: string | null };
}

export const healthOf = async (proxy: FleetChild): Promise<ProxyHealth> => (await send(proxy.adminUrl!, { path: '/healthz' })).json<ProxyHealth>();
export const faultIdsOn = async (proxy: FleetChild): Promise<string[]> => (await send(proxy.adminUrl!, { path: '/v1/faults' })).json<{ faults: Array<{ id: string }> }>().faults.map((f) => f.id);
/** GET /v1/services on a proxy's admin: service name -> instance ids. */
export async function instancesOn(proxy: FleetChild): Promise<Record<string, string[]>> {
  const body = (await send(proxy.adminUrl!, { path: '/v1/services' })).json<{ services: Array<{ name: string; instances: Array<{ id: string }> }> }>();
  return Object.fromEntries(body.services.map((s) => [s.name, s.instances.map((i) => i.id).sort()]));
}
export const routesOn = async (proxy: FleetChild): Promise<unknown> => (await send(proxy.adminUrl!, { path: '/v1/routes' })).json();

/** The control plane's desired version (GET /healthz `version`). */
export const desiredVersion = async (control: string): Promise<number> => (await send(control, { path: '/healthz' })).json<{ version: number }>().version;

/** Waits until every proxy is connected and has applied the control plane's current version; returns that version. */
export async function waitInSync(control: string, proxies: readonly FleetChild[], what = 'every proxy applied the current version'): Promise<number> {
  let version = 0;
  await waitFor(async () => {
    version = await desiredVersion(control);
    const health = await Promise.all(proxies.map(healthOf));
    return health.every((h) => h.control.connected && h.control.version === version);
  }, what);
  return version;
}

/** PUT /v1/mesh; throws with the reply unless it was applied. Returns the mesh version. */
export async function applyMesh(control: string, text: string, token?: string): Promise<number> {
  const r = await call(control, 'PUT', '/v1/mesh', { text, file: 'mesh.yaml' }, token);
  if (r.status !== 200) throw new Error(`PUT /v1/mesh answered ${r.status}: ${r.text()}`);
  return r.json<{ version: number }>().version;
}

/** POST /v1/faults; throws with the reply unless it was added. */
export async function addFault(control: string, rule: Record<string, unknown>, token?: string): Promise<{ id: string; expiresAt: string }> {
  const r = await call(control, 'POST', '/v1/faults', rule, token);
  if (r.status !== 201) throw new Error(`POST /v1/faults answered ${r.status}: ${r.text()}`);
  const { id, expiresAt } = r.json<{ id: string; expiresAt: string }>();
  return { id, expiresAt };
}

export interface Traffic {
  /** Requests answered so far, and every failure (status or error) with what it was. */
  readonly sent: () => number;
  readonly failures: string[];
  stop(): Promise<void>;
}

/**
 * Requests to `host` through a proxy, one after the other until stopped:
 * what a caller sees while the control plane comes and goes. Anything but
 * a 200 is a failure, recorded with the time and the status or error.
 */
export function startTraffic(proxyUrl: string, host: string): Traffic {
  let sent = 0;
  let running = true;
  const failures: string[] = [];
  const loop = (async () => {
    while (running) {
      try {
        const r = await send(proxyUrl, { path: '/', headers: { host } });
        if (r.status !== 200) failures.push(`${new Date().toISOString()} ${r.status} ${r.text().slice(0, 200)}`);
      } catch (err) {
        failures.push(`${new Date().toISOString()} ${(err as Error).message}`);
      }
      sent++;
    }
  })();
  return {
    sent: () => sent,
    failures,
    async stop() {
      running = false;
      await loop;
    },
  };
}
