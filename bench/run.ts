import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startChild, type Child } from '../demo/children.js';
import { controlBench } from './control/control-bench.js';
import { installUnrelatedRules } from './install-rules.js';
import { closedLoop, closedLoopWrk, hasWrk, openLoop, type LoadResult } from './load.js';

// npm run bench: direct vs a minimal reference proxy vs faultmesh, each in its
// own process, driven in the same run, interleaved, several rounds. Only the
// ratios mean much: absolute figures depend on the machine and its load.
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = 50;
const RATE = 1000;
const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

interface Target {
  readonly name: string;
  readonly port: number;
  readonly host: string;
  /** The process whose CPU this target costs. */
  readonly process: Child;
}

const RULES = 1000;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (n: number, digits = 2) => n.toFixed(digits);

/**
 * The resilience layer fully on, as a team would run it: retries with a
 * per-try timeout and budget, outlier detection, peak-EWMA over two
 * instances (both on the one upstream), locality by zone. Nothing fails,
 * so this measures what the layer costs on the happy path.
 */
function benchMesh(port: number, resilience: boolean): string {
  if (!resilience) {
    // Every resilience feature off: the baseline the layer's cost is measured against.
    return `services:
  bench:
    policy: { retries: { attempts: 0 }, outlierDetection: { enabled: false } }
    instances:
      - { id: bench-1, address: 127.0.0.1:${port} }
`;
  }
  return `services:
  bench:
    policy:
      timeout: 5s
      retries: { attempts: 2, perTryTimeout: 1s, retryOn: [5xx, reset, connect-failure] }
      outlierDetection: { consecutive5xx: 5, slow: { above: 1s, consecutive: 5 } }
      loadBalancer: peak-ewma
      locality: { prefer: zone }
    instances:
      - { id: bench-1, address: 127.0.0.1:${port}, region: local, zone: local-a }
      - { id: bench-2, address: 127.0.0.1:${port}, region: local, zone: local-a }
`;
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'faultmesh-bench-'));
  const children: Child[] = [];
  try {
    const upstream = await startChild(here('./upstream.js'), []);
    children.push(upstream);
    const reference = await startChild(here('./reference-proxy.js'), [String(upstream.port)]);
    children.push(reference);
    const hpm = await startChild(here('./hpm-proxy.js'), [String(upstream.port)]);
    children.push(hpm);
    const meshFile = join(dir, 'mesh.yaml');
    writeFileSync(meshFile, benchMesh(upstream.port, true));
    const bareMeshFile = join(dir, 'bare.yaml');
    writeFileSync(bareMeshFile, benchMesh(upstream.port, false));
    const proxyArgs = (name: string, mesh = meshFile) => ['proxy', '--mesh', mesh, '--listen', '127.0.0.1:0', '--admin', '127.0.0.1:0', '--zone', 'local-a', '--region', 'local', '--access-log', join(dir, `${name}.log`)];
    const bare = await startChild(here('../cli/main.js'), proxyArgs('bare', bareMeshFile));
    children.push(bare);
    const faultmesh = await startChild(here('../cli/main.js'), proxyArgs('faultmesh'));
    children.push(faultmesh);
    const withRules = await startChild(here('../cli/main.js'), proxyArgs('rules'));
    children.push(withRules);
    await installUnrelatedRules(withRules.adminUrl!, RULES);

    const targets: Target[] = [
      { name: 'direct', port: upstream.port, host: 'bench', process: upstream },
      { name: 'reference', port: reference.port, host: 'bench', process: reference },
      { name: 'hpm-only', port: hpm.port, host: 'bench', process: hpm },
      { name: 'faultmesh-bare', port: bare.port, host: 'bench', process: bare },
      { name: 'faultmesh', port: faultmesh.port, host: 'bench', process: faultmesh },
      { name: `faultmesh+${RULES}`, port: withRules.port, host: 'bench', process: withRules },
    ];
    const useWrk = process.env.BENCH_LOAD !== 'autocannon' && (process.env.BENCH_LOAD === 'wrk' || hasWrk());
    const load = useWrk ? closedLoopWrk : closedLoop;
    console.log(`faultmesh bench: ${ROUNDS} rounds x ${SECONDS}s per target, ${CONNECTIONS} connections (${useWrk ? 'wrk' : 'autocannon'}); then ${RATE} req/s open loop`);
    for (const t of targets) await load(url(t), t.host, CONNECTIONS, 1); // warm up JITs and pools

    const closed = await interleave(targets, (t) => load(url(t), t.host, CONNECTIONS, SECONDS));
    console.log(`\nThroughput, ${CONNECTIONS} connections (median of ${ROUNDS} rounds)`);
    table(['target', 'req/s', 'p50 ms', 'p99 ms'], targets.map((t) => [t.name, fmt(closed.get(t.name)!.rps, 0), fmt(closed.get(t.name)!.p50), fmt(closed.get(t.name)!.p99)]));
    const ratio = closed.get('faultmesh')!.rps / closed.get('reference')!.rps;
    console.log(`faultmesh (resilience on)/reference throughput: ${fmt(ratio)}x (target >= 0.70x)`);
    console.log(`hpm-only/reference throughput: ${fmt(closed.get('hpm-only')!.rps / closed.get('reference')!.rps)}x (the floor of forwarding through http-proxy-middleware)`);
    console.log(`faultmesh/hpm-only throughput: ${fmt(closed.get('faultmesh')!.rps / closed.get('hpm-only')!.rps)}x (the cost of faultmesh's own layers)`);
    const resilienceLoss = 1 - closed.get('faultmesh')!.rps / closed.get('faultmesh-bare')!.rps;
    console.log(`throughput lost to the resilience layer (faultmesh vs faultmesh-bare): ${fmt(100 * resilienceLoss, 1)}%`);
    const ruleLoss = 1 - closed.get(`faultmesh+${RULES}`)!.rps / closed.get('faultmesh')!.rps;
    console.log(`throughput lost to ${RULES} installed rules that do not match: ${fmt(100 * ruleLoss, 1)}% (target < 5%)`);

    const open = await interleave(targets, async (t) => {
      const before = t.process.cpuMs();
      const result = await openLoop(`http://127.0.0.1:${t.port}`, t.host, RATE, SECONDS * 2);
      return { ...result, cpuUs: ((t.process.cpuMs() - before) * 1000) / (RATE * SECONDS * 2) };
    });
    const direct = open.get('direct')!;
    console.log(`\nLatency at a fixed ${RATE} req/s (median of ${ROUNDS} rounds); "added" is over direct`);
    table(
      ['target', 'p50 ms', 'p99 ms', 'added p50 ms', 'added p99 ms', 'CPU µs/req', 'errors'],
      targets.map((t) => {
        const r = open.get(t.name)!;
        return [t.name, fmt(r.p50, 3), fmt(r.p99, 3), fmt(r.p50 - direct.p50, 3), fmt(r.p99 - direct.p99, 3), fmt(r.cpuUs ?? Number.NaN, 1), String(r.errors)];
      }),
    );
    const signed = (x: number) => `${x >= 0 ? '+' : ''}${fmt(100 * x, 1)}%`;
    console.log(`CPU per request with the resilience layer on: ${signed(open.get('faultmesh')!.cpuUs! / open.get('faultmesh-bare')!.cpuUs! - 1)} (same run, fixed rate)`);
    const cpuRules = open.get(`faultmesh+${RULES}`)!.cpuUs! / open.get('faultmesh')!.cpuUs! - 1;
    console.log(`CPU per request with ${RULES} rules that do not match: ${signed(cpuRules)} (same run, fixed rate)`);
    const added = open.get('faultmesh')!.p99 - direct.p99;
    console.log(`faultmesh (resilience on) added p99 at ${RATE} req/s: ${fmt(added, 3)} ms (target <= 1.5 ms); reference added ${fmt(open.get('reference')!.p99 - direct.p99, 3)} ms`);
  } finally {
    await Promise.all(children.map((c) => c.stop()));
    rmSync(dir, { recursive: true, force: true });
  }
}

const url = (t: Target) => `http://127.0.0.1:${t.port}/`;

/** Runs every target once per round, rotating the order, and keeps the median of each figure. */
type Measured = LoadResult & { readonly cpuUs?: number };

async function interleave(targets: readonly Target[], run: (t: Target) => Promise<Measured>): Promise<Map<string, Measured>> {
  const results = new Map<string, Measured[]>(targets.map((t) => [t.name, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (let i = 0; i < targets.length; i++) {
      const t = targets[(i + round) % targets.length]!;
      results.get(t.name)!.push(await run(t));
    }
  }
  return new Map(
    [...results].map(([name, rs]) => [
      name,
      { rps: median(rs.map((r) => r.rps)), p50: median(rs.map((r) => r.p50)), p99: median(rs.map((r) => r.p99)), errors: rs.reduce((n, r) => n + r.errors, 0), cpuUs: median(rs.map((r) => r.cpuUs ?? Number.NaN)) },
    ]),
  );
}

function table(head: string[], rows: string[][]) {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  console.log([line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n'));
}

// The control-plane bench follows in the same run (BENCH_CONTROL=off skips it; npm run bench:control runs it alone).
main()
  .then(() => (process.env.BENCH_CONTROL === 'off' ? undefined : controlBench()))
  .then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
