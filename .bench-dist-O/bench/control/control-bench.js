import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { ETCD_BINARY, etcdInstalled } from '../etcd-cluster.js';
import { WRITE_KINDS, writeOf } from './control-api.js';
import { cpuMs, rssMiB } from './control-process.js';
import { startDeployment } from './deployment.js';
import { printComparison, printStoreRun } from './report.js';
import { sustainedWrites } from './sustained.js';
import { WatcherPool } from './watcher-pool.js';
import { WriteTimer } from './write-timer.js';
// npm run bench:control (and the end of npm run bench): for each store, the
// memory store (one control plane) and etcd (two replicas on a real etcd),
// with the same 10 real proxy processes and then 500 light watchers besides,
// spread over the replicas: the time from a write to every proxy's ack, on
// every replica; updates per second sustained; CPU and memory idle, and what
// the proxies' reports cost. All in one run, on loopback; absolute figures
// depend on the machine and its load, the ratios etcd/memory less so.
/** A BENCH_* variable out of range: said in one line, exit 2, as for any user input. */
export class BenchSettingError extends Error {
    code = 'BENCH_SETTING';
    name = 'BenchSettingError';
}
function envInt(name, fallback, min, max) {
    const n = Number(process.env[name] ?? fallback);
    if (!Number.isInteger(n) || n < min || n > max)
        throw new BenchSettingError(`${name} must be a whole number from ${min} to ${max}, not "${process.env[name]}"`);
    return n;
}
function envStores() {
    const text = process.env.BENCH_STORES ?? 'memory,etcd';
    const stores = text.split(',').map((s) => s.trim());
    const bad = stores.find((s) => s !== 'memory' && s !== 'etcd');
    if (bad !== undefined || stores.length === 0)
        throw new BenchSettingError(`BENCH_STORES is a comma-separated list of memory and etcd, not "${text}"`);
    return [...new Set(stores)];
}
const REPORT_EVERY_MS = 2_000;
const WARMUP_ROUNDS = 5;
const STATUS_CALLS = 100;
/** After the sustained writes: how long every proxy may take to have the last state. */
const CATCH_UP_MS = 10_000;
export async function controlBench() {
    const settings = {
        proxyCount: envInt('BENCH_PROXIES', 10, 1, 50),
        watcherCount: envInt('BENCH_WATCHERS', 500, 1, 2000),
        workers: envInt('BENCH_WATCHER_WORKERS', 2, 1, 8),
        rounds: envInt('BENCH_WRITES', 100, 1, 10_000),
        idleSeconds: envInt('BENCH_IDLE_SECONDS', 10, 1, 600),
        replicas: envInt('BENCH_REPLICAS', 2, 1, 5),
        etcdMembers: envInt('BENCH_ETCD_MEMBERS', 1, 1, 5),
        sustainSeconds: envInt('BENCH_SUSTAIN_SECONDS', 10, 1, 600),
        concurrency: envInt('BENCH_SUSTAIN_CONCURRENCY', 8, 1, 64),
    };
    const stores = envStores();
    const token = `bench-${randomBytes(12).toString('hex')}`;
    const cli = fileURLToPath(new URL('../../cli/main.js', import.meta.url));
    const s = settings;
    console.log(`\nfaultmesh control-plane bench: ${s.proxyCount} proxy processes (faultmesh proxy --control), then ${s.watcherCount} light watchers besides in ${Math.max(s.workers, s.replicas)} worker processes; ${s.rounds} writes of each kind (after ${WARMUP_ROUNDS} warm-up rounds); idle windows of ${s.idleSeconds} s; ${s.sustainSeconds} s of sustained writes, ${s.concurrency} in flight`);
    const runs = [];
    for (const store of stores) {
        if (store === 'etcd' && !etcdInstalled()) {
            console.log(`\netcd store: skipped: no etcd at ${ETCD_BINARY} (apt-get install etcd-server, or FAULTMESH_ETCD_BIN=/path/to/etcd)`);
            continue;
        }
        const deployment = await startDeployment(store, { cli, token, proxyCount: s.proxyCount, replicas: s.replicas, etcdMembers: s.etcdMembers });
        try {
            const run = await storeRun(deployment, settings, token);
            printStoreRun(run);
            runs.push(run);
        }
        finally {
            await deployment.stop();
        }
    }
    printComparison(runs);
}
/** Every phase on one deployment, in the order the figures are printed. */
async function storeRun(d, s, token) {
    const controlPids = d.replicas.map((r) => r.pid);
    const timer = new WriteTimer(d.replicas, d.meshVersion, d.store === 'memory');
    await timer.allAcked(d.meshVersion, undefined, 60_000);
    console.log(`\n== ${d.label}: ${d.replicas.map((r) => `${r.url} (${r.realIds.length} proxies)`).join(', ')}`);
    let pool;
    try {
        const api = d.replicas[0].api;
        const controlCpu = () => sum(controlPids.map(cpuMs));
        const etcdCpu = () => sum(d.etcdPids.map(cpuMs));
        const idle = async () => {
            const [c, e] = [controlCpu(), etcdCpu()];
            await sleep(s.idleSeconds * 1000);
            return { cpuMsPerS: (controlCpu() - c) / s.idleSeconds, etcdCpuMsPerS: (etcdCpu() - e) / s.idleSeconds, rssMiB: sum(controlPids.map(rssMiB)) };
        };
        const cpu = () => {
            const { user, system } = process.cpuUsage();
            return { control: controlCpu(), etcd: etcdCpu(), proxies: sum(d.proxyPids.map(cpuMs)), watchers: pool ? sum(pool.pids.map(cpuMs)) : 0, bench: (user + system) / 1000 };
        };
        const idleAlone = await idle();
        const statusAlone = await statusCost(api, controlPids[0]);
        const alone = await writes(timer, d, undefined, cpu, s.rounds, 0);
        pool = await WatcherPool.start(d.replicas.map((r) => r.url), token, s.watcherCount, s.workers);
        const idleWatched = await idle();
        pool.report(REPORT_EVERY_MS);
        const before = await pool.counts();
        const idleReporting = await idle();
        const reports = (await pool.counts()).reports - before.reports;
        const statusWatched = await statusCost(api, controlPids[0]);
        // Writes run with the watchers reporting, as a mesh of this size would.
        const watched = await writes(timer, d, pool, cpu, s.rounds, WARMUP_ROUNDS + s.rounds);
        for (const r of d.replicas) {
            const { version } = await r.api.call('GET', '/healthz');
            if (version !== timer.expectedVersion)
                throw new Error(`replica ${r.url} is at version ${version}, the proxies acked ${timer.expectedVersion} last: a version the bench did not write, so the waits were wrong`);
        }
        const cpuBefore = cpu();
        const sustained = await sustainedWrites(timer, pool, { apis: d.replicas.map((r) => r.api), seconds: s.sustainSeconds, concurrency: s.concurrency, catchUpMs: CATCH_UP_MS, meshRound: 2 * (WARMUP_ROUNDS + s.rounds) + 1 });
        const sustainedCpu = perUnit(cpuBefore, cpu(), sustained.seconds);
        return { store: d.store, label: d.label, replicas: d.replicas.length, settings: s, idle: { alone: idleAlone, watched: idleWatched, reporting: idleReporting }, reports, status: { alone: statusAlone, watched: statusWatched }, alone, watched, sustained, sustainedCpu, postErrors: (await pool.counts()).errors };
    }
    finally {
        await pool?.close();
    }
}
async function statusCost(api, pid) {
    const cpu = cpuMs(pid);
    const start = performance.now();
    for (let i = 0; i < STATUS_CALLS; i++)
        await api.call('GET', '/v1/status');
    return { ms: (performance.now() - start) / STATUS_CALLS, cpuMs: (cpuMs(pid) - cpu) / STATUS_CALLS };
}
/**
 * Rounds of one write of each kind, interleaved, so a disturbance of the
 * machine spreads over every kind; write i goes through replica i mod n, so
 * each kind is written through every replica. `firstRound` keeps fault ids
 * and mesh texts new across phases.
 */
async function writes(timer, d, pool, cpu, rounds, firstRound) {
    let i = 0;
    const one = (kind, r) => timer.time(kind, writeOf(d.replicas[i++ % d.replicas.length].api, kind, r), pool);
    for (let r = firstRound; r < firstRound + WARMUP_ROUNDS; r++)
        for (const kind of WRITE_KINDS)
            await one(kind, r);
    const before = cpu();
    const samples = [];
    for (let r = firstRound + WARMUP_ROUNDS; r < firstRound + WARMUP_ROUNDS + rounds; r++)
        for (const kind of WRITE_KINDS)
            samples.push(await one(kind, r));
    return { samples, cpuPerWrite: perUnit(before, cpu(), samples.length) };
}
function perUnit(before, after, units) {
    const per = (k) => (after[k] - before[k]) / units;
    return { control: per('control'), etcd: per('etcd'), proxies: per('proxies'), watchers: per('watchers'), bench: per('bench') };
}
const sum = (xs) => xs.reduce((a, b) => a + b, 0);
//# sourceMappingURL=control-bench.js.map