import { WRITE_KINDS } from './control-api.js';
import { byKind, distribution, fmt, table } from './figures.js';
/** Each store's p99 target, all acked with every watcher: #13 set the memory store's (for 200 watchers), #14 etcd's with two replicas. */
const P99_TARGET_MS = { memory: 100, etcd: 250 };
const HALT_TARGET_MS = 1000;
const total = (c) => c.control + c.etcd + c.proxies + c.watchers + c.bench;
/** One store's figures: idle cost, status, writes to every ack, CPU per write, sustained writes. */
export function printStoreRun(run) {
    const { proxyCount, watcherCount, idleSeconds } = run.settings;
    const all = proxyCount + watcherCount;
    const cp = run.replicas > 1 ? `${run.replicas} replicas` : 'control plane';
    const { alone, watched, reporting } = run.idle;
    console.log(`\n[${run.label}] Idle (CPU: user + system from /proc, ticks of 10 ms, of every replica together; the ${proxyCount} proxies report every 2 s throughout)`);
    table(['connected', `${cp} CPU ms/s`, 'RSS MiB', 'etcd CPU ms/s'], [
        [`${proxyCount} proxies`, fmt(alone.cpuMsPerS, 2), fmt(alone.rssMiB), fmt(alone.etcdCpuMsPerS, 2)],
        [`${all} (${watcherCount} watchers)`, fmt(watched.cpuMsPerS, 2), fmt(watched.rssMiB), fmt(watched.etcdCpuMsPerS, 2)],
        [`same, watchers reporting every 2 s`, fmt(reporting.cpuMsPerS, 2), fmt(reporting.rssMiB), fmt(reporting.etcdCpuMsPerS, 2)],
    ]);
    const perReportUs = ((reporting.cpuMsPerS - watched.cpuMsPerS) * idleSeconds * 1000) / run.reports;
    console.log(`reports: ${run.reports} in ${idleSeconds} s (${fmt(run.reports / idleSeconds, 0)}/s) cost ${fmt(reporting.cpuMsPerS - watched.cpuMsPerS, 2)} ms of CPU per second, ${fmt(perReportUs, 0)} µs per report`);
    console.log(`memory: ${fmt(((watched.rssMiB - alone.rssMiB) * 1024) / watcherCount, 0)} KiB of RSS per watcher`);
    console.log(`GET /v1/status on the first replica (read tightly to see the real proxies' acks): ${fmt(run.status.alone.ms, 2)} ms, ${fmt(run.status.alone.cpuMs, 2)} ms CPU per call with ${proxyCount} proxies; ${fmt(run.status.watched.ms, 2)} ms, ${fmt(run.status.watched.cpuMs, 2)} ms CPU with ${all}`);
    const a = byKind(run.alone.samples, WRITE_KINDS);
    const w = byKind(run.watched.samples, WRITE_KINDS);
    const through = run.replicas > 1 ? `, written through each replica in turn, acked on all ${run.replicas}` : '';
    console.log(`\n[${run.label}] Write to every proxy's ack, ms from the write's send (${run.settings.rounds} of each${through}; "received" is the last watcher to read the snapshot)`);
    const row = (f, n) => [f.kind, String(n), fmt(f.reply.p50), fmt(f.reply.p99), fmt(f.received.p50), fmt(f.received.p99), fmt(f.acked.p50), fmt(f.acked.p99), fmt(f.acked.max), fmt(f.polls)];
    table(['write', 'proxies', 'reply p50', 'reply p99', 'received p50', 'received p99', 'all acked p50', 'all acked p99', 'max', 'status polls'], [...a.map((f) => row(f, proxyCount)), ...w.map((f) => row(f, all))]);
    const target = P99_TARGET_MS[run.store];
    for (let i = 0; i < w.length; i++) {
        const [x, y] = [w[i], a[i]];
        console.log(`${x.kind}: ${all} vs ${proxyCount} proxies: p50 ${fmt(x.acked.p50 / y.acked.p50, 2)}x, p99 ${fmt(x.acked.p99 / y.acked.p99, 2)}x; p99 ${fmt(x.acked.p99)} ms (target < ${target} ms: ${x.acked.p99 < target ? 'met' : 'NOT met'})`);
    }
    const halt = w.find((f) => f.kind === 'halt');
    console.log(`halt-all (POST /v1/halt to the ack of all ${all}): p50 ${fmt(halt.acked.p50)} ms, p99 ${fmt(halt.acked.p99)} ms, worst ${fmt(halt.acked.max)} ms (target < ${HALT_TARGET_MS} ms: ${halt.acked.max < HALT_TARGET_MS ? 'met' : 'NOT met'})`);
    console.log(`\n[${run.label}] CPU ms per write, by process (acks, background reports and status polls included; CPU from /proc and process.cpuUsage)`);
    const split = (label, c) => [label, fmt(c.control, 2), fmt(c.etcd, 2), fmt(c.proxies, 2), fmt(c.watchers, 2), fmt(c.bench, 2), fmt(total(c), 2)];
    const head = [cp, 'etcd', `${proxyCount} proxies`, 'watcher workers', 'bench', 'total'];
    table(['proxies', ...head], [split(String(proxyCount), run.alone.cpuPerWrite), split(String(all), run.watched.cpuPerWrite)]);
    console.log(`${cp}: ${fmt(((run.watched.cpuPerWrite.control - run.alone.cpuPerWrite.control) * 1000) / watcherCount, 0)} µs per watcher per write (${fmt(run.watched.cpuPerWrite.control / run.alone.cpuPerWrite.control, 1)}x the ${proxyCount}-proxy figure)`);
    const t = run.sustained;
    console.log(`\n[${run.label}] Sustained writes (fault add and rm, ${t.concurrency} in flight${run.replicas > 1 ? ' over the replicas' : ''}, for ${fmt(t.seconds, 1)} s, ${all} proxies connected)`);
    console.log(`accepted: ${t.accepted} (${fmt(t.writesPerS, 0)} writes/s), reply p50 ${fmt(t.reply.p50)} ms, p99 ${fmt(t.reply.p99)} ms; refused: ${t.refused}${t.firstRefusal ? ` (first: ${t.firstRefusal.slice(0, 200)})` : ''}`);
    console.log(t.caughtUpMs !== undefined ? `every proxy had the last state ${fmt(t.caughtUpMs)} ms after the writing stopped` : `NOT caught up: ${t.behind}`);
    const c = run.sustainedCpu;
    console.log(`CPU ms per second of writing: ${cp} ${fmt(c.control, 0)}, etcd ${fmt(c.etcd, 0)}, proxies ${fmt(c.proxies, 0)}, watcher workers ${fmt(c.watchers, 0)}, bench ${fmt(c.bench, 0)} (of 2000 on 2 cores)`);
    if (run.postErrors > 0)
        console.log(`watcher posts that failed: ${run.postErrors}`);
}
/** The stores side by side, with all proxies and watchers connected: the figures the issue asks for, and etcd/memory ratios. */
export function printComparison(runs) {
    if (runs.length === 0)
        return;
    const all = runs[0].settings.proxyCount + runs[0].settings.watcherCount;
    const kinds = runs.map((r) => byKind(r.watched.samples, WRITE_KINDS));
    const [mem, etcd] = [runs.findIndex((r) => r.store === 'memory'), runs.findIndex((r) => r.store === 'etcd')];
    const ratio = (pick) => (mem >= 0 && etcd >= 0 ? `${fmt(pick(etcd) / pick(mem), 2)}x` : '-');
    console.log(`\nStores side by side, ${all} proxies connected (${runs.map((r) => r.label).join('; ')}): write to every proxy's ack, ms`);
    const head = ['write', ...runs.flatMap((r) => [`${r.store} p50`, `${r.store} p99`]), 'etcd/memory p50', 'etcd/memory p99'];
    const rows = WRITE_KINDS.map((kind, k) => [
        kind,
        ...kinds.flatMap((f) => [fmt(f[k].acked.p50), fmt(f[k].acked.p99)]),
        ratio((i) => kinds[i][k].acked.p50),
        ratio((i) => kinds[i][k].acked.p99),
    ]);
    const every = runs.map((r) => distribution(r.watched.samples.map((s) => s.ackedMs)));
    rows.push(['every kind', ...every.flatMap((f) => [fmt(f.p50), fmt(f.p99)]), ratio((i) => every[i].p50), ratio((i) => every[i].p99)]);
    table(head, rows);
    console.log('\nSustained writes side by side');
    table(['store', 'writes/s', 'reply p50 ms', 'reply p99 ms', 'refused', 'caught up after ms'], runs.map((r) => [r.label, fmt(r.sustained.writesPerS, 0), fmt(r.sustained.reply.p50), fmt(r.sustained.reply.p99), String(r.sustained.refused), r.sustained.caughtUpMs === undefined ? 'NOT caught up' : fmt(r.sustained.caughtUpMs)]));
    if (mem >= 0 && etcd >= 0)
        console.log(`etcd/memory writes/s: ${ratio((i) => runs[i].sustained.writesPerS)}`);
    if (etcd >= 0) {
        const p99 = every[etcd].p99;
        console.log(`etcd, ${runs[etcd].label}: all acked p99 over every kind ${fmt(p99)} ms (target < ${P99_TARGET_MS.etcd} ms: ${p99 < P99_TARGET_MS.etcd ? 'met' : 'NOT met'})`);
    }
}
//# sourceMappingURL=report.js.map