import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
export const ETCD_BINARY = process.env.FAULTMESH_ETCD_BIN ?? '/usr/bin/etcd';
const READY_TIMEOUT_MS = 60_000;
/** True when etcd is installed (CI installs Debian's etcd-server). */
export const etcdInstalled = () => existsSync(ETCD_BINARY);
async function freePorts(n) {
    const servers = await Promise.all(Array.from({ length: n }, () => new Promise((resolve, reject) => {
        const s = createServer();
        s.once('error', reject);
        s.listen(0, '127.0.0.1', () => resolve(s));
    })));
    const ports = servers.map((s) => s.address().port);
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
    return ports;
}
async function healthy(port) {
    try {
        const res = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(1_000) });
        return res.ok && (await res.json()).health === 'true';
    }
    catch {
        return false;
    }
}
export async function startEtcd(options = {}) {
    const n = options.members ?? 1;
    const dir = mkdtempSync(join(tmpdir(), 'faultmesh-etcd-'));
    const ports = await freePorts(2 * n);
    const members = Array.from({ length: n }, (_, i) => ({ name: `m${i}`, clientPort: ports[2 * i], peerPort: ports[2 * i + 1], endpoint: `127.0.0.1:${ports[2 * i]}`, proc: undefined, log: '' }));
    const initialCluster = members.map((m) => `${m.name}=http://127.0.0.1:${m.peerPort}`).join(',');
    const launch = (m, state) => {
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
        proc.stderr.on('data', (chunk) => (m.log = (m.log + chunk.toString()).slice(-4_000)));
        m.proc = proc;
    };
    const waitHealthy = async (list) => {
        const deadline = Date.now() + READY_TIMEOUT_MS;
        for (;;) {
            const states = await Promise.all(list.map((m) => healthy(m.clientPort)));
            if (states.every(Boolean))
                return;
            const dead = list.find((m) => m.proc?.exitCode !== null || m.proc?.signalCode !== null);
            if (dead)
                throw new Error(`etcd member ${dead.name} exited while starting (${dead.proc?.signalCode ?? `exit code ${dead.proc?.exitCode}`}): ${dead.log.trim() || 'no output'}`);
            if (Date.now() > deadline)
                throw new Error(`etcd did not become healthy within ${READY_TIMEOUT_MS} ms`);
            await new Promise((r) => setTimeout(r, 100));
        }
    };
    const killOne = async (m) => {
        const proc = m.proc;
        if (!proc || proc.exitCode !== null || proc.signalCode !== null)
            return;
        const exited = new Promise((r) => proc.once('exit', r));
        proc.kill('SIGKILL');
        await exited;
    };
    for (const m of members)
        launch(m, 'new');
    try {
        await waitHealthy(members);
    }
    catch (err) {
        await Promise.all(members.map(killOne));
        rmSync(dir, { recursive: true, force: true });
        throw err;
    }
    return {
        members: members.map((m) => ({ name: m.name, clientPort: m.clientPort, peerPort: m.peerPort, endpoint: m.endpoint, pid: () => m.proc?.pid })),
        endpoints: members.map((m) => m.endpoint),
        url: `etcd://${members.map((m) => m.endpoint).join(',')}`,
        kill: (i) => killOne(members[i]),
        async restart(i) {
            launch(members[i], 'existing');
            await waitHealthy([members[i]]);
        },
        async stop() {
            await Promise.all(members.map(killOne));
            rmSync(dir, { recursive: true, force: true });
        },
    };
}
//# sourceMappingURL=etcd-cluster.js.map