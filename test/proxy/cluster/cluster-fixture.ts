import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { spawnCli, waitForLine } from '../../helpers/cli.js';
import { send, type Reply } from '../../helpers/http-client.js';
import { startUpstreams, meshYaml, tempDir, type InstanceSpec } from '../../helpers/mesh-fixture.js';
import { waitFor, WAIT_MS } from '../../helpers/wait.js';
import { isAlive } from '../../helpers/processes.js';

export interface WorkerView {
  readonly index: number;
  readonly pid: number;
  readonly listening: boolean;
  readonly appliedVersion: number;
}

export interface Health {
  readonly halted: boolean;
  readonly workers: { readonly count: number; readonly listening: number; readonly version: number; readonly list: readonly WorkerView[] };
}

/** One access-log line, as the fields the tests read. */
export interface LogLine {
  readonly worker: number;
  readonly workerPid: number;
  readonly path: string;
  readonly status: number;
}

const alive = isAlive;

/**
 * `faultmesh proxy --workers N` from the CLI, with upstreams and a mesh
 * file: the real process tree. `stop()` sends SIGTERM to the primary only
 * (by its pid) and checks that every worker it ever had is gone.
 */
export async function startCluster(specs: readonly InstanceSpec[], options: { workers?: number; extra?: Record<string, string>; source?: (meshFile: string) => string[] } = {}) {
  const dir = tempDir();
  const upstreams = await startUpstreams(specs);
  const meshFile = dir.file('mesh.yaml', meshYaml(specs, upstreams, options.extra));
  const accessLog = `${dir.path}/access.log`;
  const workers = options.workers ?? 2;
  const child: ChildProcess = spawnCli(['proxy', ...(options.source?.(meshFile) ?? ['--mesh', meshFile]), '--listen', '127.0.0.1:0', '--admin', '127.0.0.1:0', '--workers', String(workers), '--access-log', accessLog]);
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const seenPids = new Set<number>();
  let proxyUrl = '';
  let adminUrl = '';
  try {
    const m = await waitForLine(child, new RegExp(`proxy on (http://\\S+) \\(${workers} workers\\), admin on (http://\\S+)`));
    [proxyUrl, adminUrl] = [m[1]!, m[2]!];
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }

  const admin = (method: string, path: string, body?: unknown): Promise<Reply> =>
    send(adminUrl, { method, path, ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }) });
  const health = async (): Promise<Health> => {
    const h = (await admin('GET', '/healthz')).json<Health>();
    for (const w of h.workers.list) seenPids.add(w.pid);
    return h;
  };
  await health();

  return {
    child,
    upstreams,
    meshFile,
    proxyUrl,
    adminUrl,
    stderr: () => stderr,
    admin,
    health,
    /** `n` calls to `host`, each on a fresh connection (no agent), so the workers share them. */
    async calls(host: string, n: number, path: string): Promise<Reply[]> {
      const replies: Reply[] = [];
      for (let i = 0; i < n; i++) replies.push(await send(proxyUrl, { path: `${path}?i=${i}`, headers: { host } }));
      return replies;
    },
    /** The access-log lines of calls to `path`, once there are `n` of them (the log is flushed every second). */
    async logLines(path: string, n: number): Promise<LogLine[]> {
      let lines: LogLine[] = [];
      await waitFor(() => {
        const text = existsSync(accessLog) ? readFileSync(accessLog, 'utf8') : '';
        lines = text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as LogLine).filter((l) => l.path === path);
        return lines.length >= n;
      }, `${n} access-log lines for ${path}`);
      return lines;
    },
    /** Every worker listening, none of them `gone`, all on the primary's version. */
    async workersSettled(gone: ReadonlySet<number> = new Set()): Promise<Health> {
      let h: Health | undefined;
      await waitFor(async () => {
        h = await health();
        return h.workers.listening === workers && h.workers.list.every((w) => w.listening && !gone.has(w.pid) && w.appliedVersion === h!.workers.version);
      }, `${workers} workers listening on the current version`);
      return h!;
    },
    async stop(): Promise<void> {
      try {
        if (child.exitCode === null && child.signalCode === null) {
          const exited = once(child, 'exit');
          child.kill('SIGTERM');
          const timer = setTimeout(() => child.kill('SIGKILL'), WAIT_MS);
          await exited;
          clearTimeout(timer);
        }
        await waitFor(() => [...seenPids].every((pid) => !alive(pid)), `every worker (${[...seenPids].join(', ')}) exited with the primary`);
      } finally {
        for (const pid of seenPids) if (alive(pid)) process.kill(pid, 'SIGKILL');
        for (const u of upstreams.values()) await u.close();
        dir.remove();
      }
    },
  };
}

export type Cluster = Awaited<ReturnType<typeof startCluster>>;
