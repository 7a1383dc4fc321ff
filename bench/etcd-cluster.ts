import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A real etcd (Debian's etcd-server) on loopback, for the tests and the
 * benchmarks: one member or a cluster, on ports picked here, in a temporary
 * data dir removed at stop. Members can be SIGKILLed and started again, to
 * prove what survives. Short heartbeat and election times make a lost
 * leader cost half a second, not several.
 */
export interface EtcdMember {
  readonly name: string;
  readonly clientPort: number;
  readonly peerPort: number;
  readonly endpoint: string;
  pid(): number | undefined;
}

export interface EtcdCluster {
  readonly members: readonly EtcdMember[];
  /** host:port of every member. */
  readonly endpoints: readonly string[];
  /** `etcd://…` as `faultmesh control --store` takes it. */
  readonly url: string;
  /** SIGKILL one member and wait for it to exit. */
  kill(index: number): Promise<void>;
  /** Start a killed member again, on its data dir, and wait until it is healthy. */
  restart(index: number): Promise<void>;
  /** Stop every member (SIGKILL: nothing in the data dir is kept) and remove the data dir. */
  stop(): Promise<void>;
}

export const ETCD_BINARY = process.env.FAULTMESH_ETCD_BIN ?? '/usr/bin/etcd';
const READY_TIMEOUT_MS = 60_000;

/** True when etcd is installed (CI installs Debian's etcd-server). */
export const etcdInstalled = (): boolean => existsSync(ETCD_BINARY);

async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: n }, () => new Promise<import('node:net').Server>((resolve, reject) => {
      const s = createServer();
      s.once('error', reject);
      s.listen(0, '127.0.0.1', () => resolve(s));
    })),
  );
  const ports = servers.map((s) => (s.address() as import('node:net').AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

async function healthy(port: number): Promise<boolean> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(1_000) });
    return res.ok && ((await res.json()) as { health?: string }).health === 'true';
  } catch {
    return false;
  }
}

export async function startEtcd(options: { members?: number } = {}): Promise<EtcdCluster> {
  const n = options.members ?? 1;
  const dir = mkdtempSync(join(tmpdir(), 'faultmesh-etcd-'));
  const ports = await freePorts(2 * n);
  const members = Array.from({ length: n }, (_, i) => ({ name: `m${i}`, clientPort: ports[2 * i]!, peerPort: ports[2 * i + 1]!, endpoint: `127.0.0.1:${ports[2 * i]}`, proc: undefined as ChildProcess | undefined, log: '' }));
  const initialCluster = members.map((m) => `${m.name}=http://127.0.0.1:${m.peerPort}`).join(',');

  const launch = (m: (typeof members)[number], state: 'new' | 'existing') => {
    const proc = spawn(ETCD_BINARY, [
      '--name', m.name,
      '--data-dir', join(dir, m.name),
      '--listen-client-urls', `http://127.0.0.1:${m.clientPort}`,
      '--advertise-client-urls', `http://127.0.0.1:${m.clientPort}`,
      '--listen-peer-urls', `http://127.0.0.1:${m.peerPort}`,
      '--initial-advertise-peer-urls', `http://127.0.0.1:${m.peerPort}`,
      '--initial-cluster', initialCluster,
      '--initial-cluster-state', state,
      '--initial-cluster-token', `faultmesh-${process.pid}-${ports[0]}`,
      '--heartbeat-interval', '50',
      '--election-timeout', '500',
      '--log-level', 'error',
    ], { stdio: ['ignore', 'ignore', 'pipe'] });
    m.log = '';
    proc.stderr!.on('data', (chunk: Buffer) => (m.log = (m.log + chunk.toString()).slice(-4_000)));
    m.proc = proc;
  };
  const waitHealthy = async (list: typeof members) => {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    for (;;) {
      const states = await Promise.all(list.map((m) => healthy(m.clientPort)));
      if (states.every(Boolean)) return;
      const dead = list.find((m) => m.proc?.exitCode !== null || m.proc?.signalCode !== null);
      if (dead) throw new Error(`etcd member ${dead.name} exited while starting (${dead.proc?.signalCode ?? `exit code ${dead.proc?.exitCode}`}): ${dead.log.trim() || 'no output'}`);
      if (Date.now() > deadline) throw new Error(`etcd did not become healthy within ${READY_TIMEOUT_MS} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const killOne = async (m: (typeof members)[number]) => {
    const proc = m.proc;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise((r) => proc.once('exit', r));
    proc.kill('SIGKILL');
    await exited;
  };

  for (const m of members) launch(m, 'new');
  try {
    await waitHealthy(members);
  } catch (err) {
    await Promise.all(members.map(killOne));
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    members: members.map((m) => ({ name: m.name, clientPort: m.clientPort, peerPort: m.peerPort, endpoint: m.endpoint, pid: () => m.proc?.pid })),
    endpoints: members.map((m) => m.endpoint),
    url: `etcd://${members.map((m) => m.endpoint).join(',')}`,
    kill: (i) => killOne(members[i]!),
    async restart(i) {
      launch(members[i]!, 'existing');
      await waitHealthy([members[i]!]);
    },
    async stop() {
      await Promise.all(members.map(killOne));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
