import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { controlBench } from './control/control-bench.js';
import { printGoals } from './goals.js';
import { closedLoop, closedLoopWrk, hasWrk, openLoop } from './load.js';
import { closedWithRss, interleave, openWithCpu, urlOf } from './measure.js';
import { treeRssMiB } from './memory.js';
import { mtlsBench } from './mtls.js';
import { fmt, signed, table } from './print.js';
import { RULES, startTargets } from './targets.js';
import { toxiproxyBench } from './toxiproxy.js';
import { tracingBench } from './tracing.js';

// npm run bench: direct vs two reference proxies vs faultmesh in several
// variants, each in its own process, driven in the same run, interleaved,
// several rounds. Only the ratios mean much: absolute figures depend on the
// machine and its load.
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
/**
 * How long the targets sit idle before their RSS is read: once after start
 * (a sidecar that serves little: the "idle" target), once after the c50
 * rounds (a young generation grown under load stays until V8's memory
 * reducer runs, 8 s to a minute later: printed, no target).
 */
const IDLE_SECONDS = Number(process.env.BENCH_IDLE_SECONDS ?? 10);
/** BENCH_TARGETS=faultmesh,reference runs those alone (and direct). */
const ONLY = process.env.BENCH_TARGETS ? new Set(process.env.BENCH_TARGETS.split(',').map((s) => s.trim())) : undefined;
const CONNECTIONS = 50;
const RATE = 1000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'faultmesh-bench-'));
  const started = await startTargets(dir, ONLY).catch((err: unknown) => {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  });
  const { targets, skipped, children } = started;
  try {
    const useWrk = process.env.BENCH_LOAD !== 'autocannon' && (process.env.BENCH_LOAD === 'wrk' || hasWrk());
    const load = useWrk ? closedLoopWrk : closedLoop;
    console.log(`faultmesh bench: ${ROUNDS} rounds x ${SECONDS}s per target, ${CONNECTIONS} connections (${useWrk ? 'wrk' : 'autocannon'}); then ${RATE} req/s open loop`);
    for (const s of skipped) console.log(`${s.name}: not run: ${s.why}`);
    await sleep(IDLE_SECONDS * 1000);
    const rssNow = () => new Map(targets.map((t) => [t.name, treeRssMiB(t.process.proc.pid)]));
    const idleRssMiB = rssNow();
    for (const t of targets) await load(urlOf(t), t.host, CONNECTIONS, 1); // warm up JITs and pools

    const closed = await interleave(targets, ROUNDS, closedWithRss(load, CONNECTIONS, SECONDS));
    await sleep(IDLE_SECONDS * 1000);
    const afterLoadRssMiB = rssNow();
    const get = (name: string) => closed.get(name)?.rps ?? Number.NaN;
    console.log(`\nThroughput, ${CONNECTIONS} connections (median of ${ROUNDS} rounds); RSS summed over each target's processes`);
    table(
      ['target', 'req/s', 'p50 ms', 'p99 ms', 'RSS idle MiB', `RSS peak c${CONNECTIONS} MiB`, `RSS ${IDLE_SECONDS}s after MiB`, 'errors'],
      targets.map((t) => {
        const r = closed.get(t.name)!;
        return [t.name, fmt(r.rps, 0), fmt(r.p50), fmt(r.p99), fmt(idleRssMiB.get(t.name)!, 1), fmt(r.peakRssMiB!, 1), fmt(afterLoadRssMiB.get(t.name)!, 1), String(r.errors)];
      }),
    );
    console.log(`hpm-only/reference throughput: ${fmt(get('hpm-only') / get('reference'))}x (the floor of forwarding through http-proxy-middleware)`);
    console.log(`faultmesh-hpm/faultmesh throughput: ${fmt(get('faultmesh-hpm') / get('faultmesh'))}x (the HPM forwarder against undici, same stack)`);
    console.log(`throughput lost to the resilience layer (faultmesh vs faultmesh-bare): ${fmt(100 * (1 - get('faultmesh') / get('faultmesh-bare')), 1)}%`);

    const open = await interleave(targets, ROUNDS, openWithCpu(openLoop, RATE, SECONDS * 2));
    const direct = open.get('direct')!;
    console.log(`\nLatency at a fixed ${RATE} req/s (median of ${ROUNDS} rounds); "added" is over direct; CPU is each target's processes summed`);
    table(
      ['target', 'p50 ms', 'p99 ms', 'added p50 ms', 'added p99 ms', 'CPU µs/req', 'errors'],
      targets.map((t) => {
        const r = open.get(t.name)!;
        return [t.name, fmt(r.p50, 3), fmt(r.p99, 3), fmt(r.p50 - direct.p50, 3), fmt(r.p99 - direct.p99, 3), fmt(r.cpuUs ?? Number.NaN, 1), String(r.errors)];
      }),
    );
    const cpu = (name: string) => open.get(name)?.cpuUs ?? Number.NaN;
    console.log(`CPU per request with the resilience layer on: ${signed(cpu('faultmesh') / cpu('faultmesh-bare') - 1)} (same run, fixed rate)`);
    console.log(`CPU per request with ${RULES} rules that do not match: ${signed(cpu(`faultmesh+${RULES}`) / cpu('faultmesh') - 1)} (same run, fixed rate)`);

    printGoals({ closed, open, idleRssMiB, afterLoadRssMiB, skipped, connections: CONNECTIONS, rate: RATE });
  } finally {
    await Promise.all(children.map((c) => c.stop()));
    rmSync(dir, { recursive: true, force: true });
  }
}

// The mTLS, control-plane, Toxiproxy and tracing benches follow in the same run (BENCH_MTLS=off, BENCH_CONTROL=off, BENCH_TOXIPROXY=off,
// BENCH_TRACING=off skip them; npm run bench:mtls, bench:control, bench:toxiproxy, bench:tracing run them alone).
main()
  .then(() => (process.env.BENCH_MTLS === 'off' ? undefined : mtlsBench()))
  .then(() => (process.env.BENCH_CONTROL === 'off' ? undefined : controlBench()))
  .then(() => (process.env.BENCH_TOXIPROXY === 'off' ? undefined : toxiproxyBench()))
  .then(() => (process.env.BENCH_TRACING === 'off' ? undefined : tracingBench()))
  .then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
