import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { startChild } from '../../demo/children.js';
import { benchMeshText, ControlApi, WRITE_KINDS, writeOf } from './control-api.js';
import { cpuMs, rssMiB, startControl } from './control-process.js';
import { byKind, fmt, table, type KindFigures } from './figures.js';
import { WatcherPool } from './watcher-pool.js';
import { WriteTimer, type WriteSample } from './write-timer.js';

// npm run bench:control (and the end of npm run bench): the time from a write
// on the control plane to every proxy's ack, with 10 real proxy processes
// alone, then with 200 light watchers besides; the control plane's CPU and
// memory idle, and what the proxies' reports cost it. All in one run, on
// loopback; absolute figures depend on the machine and its load.
/** A BENCH_* variable out of range: said in one line, exit 2, as for any user input. */
export class BenchSettingError extends Error {
  readonly code = 'BENCH_SETTING';
  override readonly name = 'BenchSettingError';
}

function envInt(name: string, fallback: number, min: number, max: number): number {
  const n = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(n) || n < min || n > max) throw new BenchSettingError(`${name} must be a whole number from ${min} to ${max}, not "${process.env[name]}"`);
  return n;
}

const REPORT_EVERY_MS = 2_000;
const WARMUP_ROUNDS = 5;
const STATUS_CALLS = 100;

interface Idle {
  readonly cpuMsPerS: number;
  readonly rssMiB: number;
}

/** CPU time in ms by who spent it: where the two cores went during the writes. */
interface CpuSplit {
  readonly control: number;
  readonly proxies: number;
  readonly watchers: number;
  readonly bench: number;
}

interface WritePhase {
  readonly samples: WriteSample[];
  /** Per write, the acks, background reports and status polls included. */
  readonly cpuPerWrite: CpuSplit;
}

export async function controlBench(): Promise<void> {
  const proxyCount = envInt('BENCH_PROXIES', 10, 1, 50);
  const watcherCount = envInt('BENCH_WATCHERS', 200, 1, 2000);
  const workers = envInt('BENCH_WATCHER_WORKERS', 2, 1, 8);
  const rounds = envInt('BENCH_WRITES', 100, 1, 10_000);
  const idleSeconds = envInt('BENCH_IDLE_SECONDS', 10, 1, 600);
  const token = `bench-${randomBytes(12).toString('hex')}`;
  const cli = fileURLToPath(new URL('../../cli/main.js', import.meta.url));
  const children: Array<{ stop(): Promise<void> }> = [];
  let pool: WatcherPool | undefined;
  let api: ControlApi | undefined;
  try {
    const control = await startControl(cli, token);
    children.push(control);
    const pid = control.proc.pid;
    api = new ControlApi(control.url, token);
    await api.call('PUT', '/v1/mesh', { text: benchMeshText(0), file: 'bench-mesh.yaml' });
    const realIds = Array.from({ length: proxyCount }, (_, i) => `real-${i}`);
    const proxyArgs = (id: string) => ['proxy', '--control', control.url, '--control-token', token, '--service', 'bench', '--id', id, '--listen', '127.0.0.1:0', '--admin', '127.0.0.1:0', '--region', 'local', '--zone', 'local-a', '--access-log', 'off'];
    const proxies = await Promise.all(realIds.map((id) => startChild(cli, proxyArgs(id), { name: id })));
    children.push(...proxies);
    const timer = new WriteTimer(api, realIds, await settled(api, realIds));
    const total = proxyCount + watcherCount;
    console.log(`\nfaultmesh control-plane bench: ${proxyCount} proxy processes (faultmesh proxy --control), then ${watcherCount} light watchers besides in ${workers} worker processes; ${rounds} writes of each kind (after ${WARMUP_ROUNDS} warm-up rounds); idle windows of ${idleSeconds} s`);

    const idleAlone = await idle(pid, idleSeconds);
    const statusAlone = await statusCost(api, pid);
    const proxyPids = proxies.map((p) => p.proc.pid);
    const cpu = (): CpuSplit => {
      const { user, system } = process.cpuUsage();
      return { control: cpuMs(pid), proxies: sum(proxyPids.map(cpuMs)), watchers: pool ? sum(pool.pids.map(cpuMs)) : 0, bench: (user + system) / 1000 };
    };
    const alone = await writes(timer, api, undefined, cpu, rounds);

    pool = await WatcherPool.start(control.url, token, watcherCount, workers);
    const idleWatched = await idle(pid, idleSeconds);
    pool.report(REPORT_EVERY_MS);
    const before = await pool.counts();
    const idleReporting = await idle(pid, idleSeconds);
    const reports = (await pool.counts()).reports - before.reports;
    const statusWatched = await statusCost(api, pid);
    // Writes run with the watchers reporting, as a mesh of this size would.
    const watched = await writes(timer, api, pool, cpu, rounds);
    const { version } = await api.call<{ version: number }>('GET', '/healthz');
    if (version !== timer.expectedVersion) throw new Error(`the control plane is at version ${version}, the bench counted ${timer.expectedVersion}: a write was not one revision, so the waits were wrong`);
    const postErrors = (await pool.counts()).errors;

    console.log(`\nIdle control plane (CPU: user + system from /proc, ticks of 10 ms; the ${proxyCount} proxies report every 2 s throughout)`);
    table(
      ['connected', 'CPU ms/s', 'RSS MiB'],
      [
        [`${proxyCount} proxies`, fmt(idleAlone.cpuMsPerS, 2), fmt(idleAlone.rssMiB)],
        [`${proxyCount} proxies + ${watcherCount} watchers`, fmt(idleWatched.cpuMsPerS, 2), fmt(idleWatched.rssMiB)],
        [`same, watchers reporting every 2 s`, fmt(idleReporting.cpuMsPerS, 2), fmt(idleReporting.rssMiB)],
      ],
    );
    const perReportUs = ((idleReporting.cpuMsPerS - idleWatched.cpuMsPerS) * idleSeconds * 1000) / reports;
    console.log(`reports: ${reports} in ${idleSeconds} s (${fmt(reports / idleSeconds, 0)}/s) cost ${fmt(idleReporting.cpuMsPerS - idleWatched.cpuMsPerS, 2)} ms of CPU per second, ${fmt(perReportUs, 0)} µs per report`);
    console.log(`memory: ${fmt(((idleWatched.rssMiB - idleAlone.rssMiB) * 1024) / watcherCount, 0)} KiB of RSS per watcher`);
    console.log(`\nGET /v1/status (read tightly to see the real proxies' acks): ${fmt(statusAlone.ms, 2)} ms, ${fmt(statusAlone.cpuMs, 2)} ms CPU per call with ${proxyCount} proxies; ${fmt(statusWatched.ms, 2)} ms, ${fmt(statusWatched.cpuMs, 2)} ms CPU with ${total}`);

    const a = byKind(alone.samples, WRITE_KINDS);
    const w = byKind(watched.samples, WRITE_KINDS);
    console.log(`\nWrite to every proxy's ack, ms from the write's send (${rounds} of each; "received" is the last watcher to read the snapshot)`);
    const row = (f: KindFigures, n: number) => [f.kind, String(n), fmt(f.reply.p50), fmt(f.reply.p99), fmt(f.received.p50), fmt(f.received.p99), fmt(f.acked.p50), fmt(f.acked.p99), fmt(f.acked.max), fmt(f.polls)];
    table(
      ['write', 'proxies', 'reply p50', 'reply p99', 'received p50', 'received p99', 'all acked p50', 'all acked p99', 'max', 'status polls'],
      [...a.map((f) => row(f, proxyCount)), ...w.map((f) => row(f, total))],
    );
    for (let i = 0; i < w.length; i++) {
      const [x, y] = [w[i]!, a[i]!];
      console.log(`${x.kind}: ${total} vs ${proxyCount} proxies: p50 ${fmt(x.acked.p50 / y.acked.p50, 2)}x, p99 ${fmt(x.acked.p99 / y.acked.p99, 2)}x; p99 ${fmt(x.acked.p99)} ms (target < 100 ms: ${x.acked.p99 < 100 ? 'met' : 'NOT met'})`);
    }
    const halt = w.find((f) => f.kind === 'halt')!;
    console.log(`halt-all (POST /v1/halt to the ack of all ${total}): p50 ${fmt(halt.acked.p50)} ms, p99 ${fmt(halt.acked.p99)} ms, worst ${fmt(halt.acked.max)} ms (target < 1000 ms: ${halt.acked.max < 1000 ? 'met' : 'NOT met'})`);
    console.log(`\nCPU ms per write, by process (acks, background reports and status polls included; CPU from /proc and process.cpuUsage)`);
    const split = (label: string, c: CpuSplit) => [label, fmt(c.control, 2), fmt(c.proxies, 2), fmt(c.watchers, 2), fmt(c.bench, 2), fmt(c.control + c.proxies + c.watchers + c.bench, 2)];
    table(['proxies', 'control plane', `${proxyCount} proxies`, 'watcher workers', 'bench', 'total'], [split(String(proxyCount), alone.cpuPerWrite), split(String(total), watched.cpuPerWrite)]);
    console.log(`control plane: ${fmt(((watched.cpuPerWrite.control - alone.cpuPerWrite.control) * 1000) / watcherCount, 0)} µs per watcher per write (${fmt(watched.cpuPerWrite.control / alone.cpuPerWrite.control, 1)}x the ${proxyCount}-proxy figure)`);
    if (postErrors > 0) console.log(`watcher posts that failed: ${postErrors}`);
  } finally {
    await pool?.close();
    await Promise.all(children.map((c) => c.stop()));
    await api?.close();
  }
}

/** Waits until every real proxy is connected and has acknowledged the version the control plane is at; returns that version. */
async function settled(api: ControlApi, ids: readonly string[]): Promise<number> {
  for (let i = 0; i < 600; i++) {
    const s = await api.call<{ version: number; proxies: Array<{ id: string; connected: boolean; applied: number }> }>('GET', '/v1/status');
    if (ids.every((id) => s.proxies.some((p) => p.id === id && p.connected && p.applied === s.version))) return s.version;
    await sleep(100);
  }
  throw new Error(`the proxies did not all connect and apply the mesh within 60 s`);
}

/** The control plane's CPU over an idle window of `seconds` (a measured window, so a fixed one), and its RSS at the end. */
async function idle(pid: number | undefined, seconds: number): Promise<Idle> {
  const before = cpuMs(pid);
  await sleep(seconds * 1000);
  return { cpuMsPerS: (cpuMs(pid) - before) / seconds, rssMiB: rssMiB(pid) };
}

async function statusCost(api: ControlApi, pid: number | undefined): Promise<{ ms: number; cpuMs: number }> {
  const cpu = cpuMs(pid);
  const start = performance.now();
  for (let i = 0; i < STATUS_CALLS; i++) await api.call('GET', '/v1/status');
  return { ms: (performance.now() - start) / STATUS_CALLS, cpuMs: (cpuMs(pid) - cpu) / STATUS_CALLS };
}

/** Rounds of one write of each kind, interleaved, so a disturbance of the machine spreads over every kind. */
async function writes(timer: WriteTimer, api: ControlApi, pool: WatcherPool | undefined, cpu: () => CpuSplit, rounds: number): Promise<WritePhase> {
  for (let r = 0; r < WARMUP_ROUNDS; r++) for (const kind of WRITE_KINDS) await timer.time(kind, writeOf(api, kind, r), pool);
  const before = cpu();
  const samples: WriteSample[] = [];
  for (let r = WARMUP_ROUNDS; r < WARMUP_ROUNDS + rounds; r++) for (const kind of WRITE_KINDS) samples.push(await timer.time(kind, writeOf(api, kind, r), pool));
  const after = cpu();
  const per = (k: keyof CpuSplit) => (after[k] - before[k]) / samples.length;
  return { samples, cpuPerWrite: { control: per('control'), proxies: per('proxies'), watchers: per('watchers'), bench: per('bench') } };
}

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
