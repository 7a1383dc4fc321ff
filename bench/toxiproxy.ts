import { connect, type Socket } from 'node:net';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startControlPlane } from '../control/control-plane.js';
import { startChild, type Child } from '../demo/children.js';
import { startToxiproxyServer } from '../toxiproxy/server.js';
import { fmt, median, table } from './print.js';

// npm run bench:toxiproxy: faultmesh's TCP proxy (toxiproxy/tcp) against a
// direct connection in the same run, interleaved, several rounds: bulk
// throughput, request/response ping-pong, and what a `latency` toxic really
// adds against its configured value. The upstream and each proxy run in
// their own process; the clients run here. Only the ratios mean much.
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const LATENCY_MS = 50;
const PING_BYTES = 64;

const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
const here = (name: string) => fileURLToPath(new URL(`./${name}${ext}`, import.meta.url));

function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port, noDelay: true });
    s.once('connect', () => resolve(s));
    s.once('error', reject);
  });
}

/** Bytes per second a single connection receives of the upstream's endless stream over `seconds`. */
async function bulk(port: number, seconds: number): Promise<number> {
  const s = await open(port);
  let bytes = 0;
  let started = 0;
  s.on('data', (d: Buffer) => {
    if (started === 0) started = performance.now();
    else bytes += d.length;
  });
  s.write('B');
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  const elapsed = (performance.now() - started) / 1000;
  s.destroy();
  return bytes / elapsed;
}

/** One connection, one message in flight: round trips per second and their times in ms. */
async function pingPong(port: number, seconds: number): Promise<{ rate: number; p50: number; p99: number }> {
  const s = await open(port);
  const message = Buffer.alloc(PING_BYTES, 0x70);
  message[0] = 0x45; // 'E': echo mode
  const rtts: number[] = [];
  const until = performance.now() + seconds * 1000;
  let pending = 0;
  let sent = 0;
  await new Promise<void>((done) => {
    const send = () => {
      if (performance.now() >= until) return done();
      pending = PING_BYTES - (rtts.length === 0 ? 1 : 0);
      sent = performance.now();
      s.write(message);
    };
    s.on('data', (d: Buffer) => {
      pending -= d.length;
      if (pending > 0) return;
      rtts.push(performance.now() - sent);
      send();
    });
    send();
  });
  s.destroy();
  const sorted = rtts.slice(1).sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
  return { rate: rtts.length / seconds, p50: at(0.5), p99: at(0.99) };
}

export async function toxiproxyBench(): Promise<void> {
  const children: Child[] = [];
  try {
    const upstream = await startChild(here('toxiproxy-upstream'), [], { name: 'tcp upstream' });
    children.push(upstream);
    const proxy = await startChild(here('toxiproxy-proxy'), [String(upstream.port)], { name: 'tcp proxy' });
    children.push(proxy);
    const slow = await startChild(here('toxiproxy-proxy'), [String(upstream.port), String(LATENCY_MS)], { name: 'tcp proxy + latency' });
    children.push(slow);
    console.log(`\nfaultmesh TCP proxy (Toxiproxy's data path): ${ROUNDS} rounds x ${SECONDS}s per target, one connection each`);
    await bulk(proxy.port, 0.5); // warm up the JIT on the path
    await pingPong(proxy.port, 0.5);

    const rows = { direct: { bulk: [] as number[], rate: [] as number[], p50: [] as number[], p99: [] as number[] }, proxy: { bulk: [] as number[], rate: [] as number[], p50: [] as number[], p99: [] as number[] } };
    const cpu = { bulk: [] as number[], ping: [] as number[] };
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, port] of [['direct', upstream.port], ['proxy', proxy.port]] as const) {
        const before = proxy.cpuMs();
        const bps = await bulk(port, SECONDS);
        rows[name].bulk.push(bps);
        if (name === 'proxy') cpu.bulk.push((proxy.cpuMs() - before) / ((bps * SECONDS) / 1e9));
        const beforePing = proxy.cpuMs();
        const p = await pingPong(port, SECONDS);
        if (name === 'proxy') cpu.ping.push(((proxy.cpuMs() - beforePing) * 1000) / (p.rate * SECONDS));
        rows[name].rate.push(p.rate);
        rows[name].p50.push(p.p50);
        rows[name].p99.push(p.p99);
      }
    }
    const m = (xs: number[]) => median(xs);
    table(
      ['target', 'bulk MB/s', 'ping-pong /s', 'rtt p50 ms', 'rtt p99 ms'],
      (['direct', 'proxy'] as const).map((n) => [n, fmt(m(rows[n].bulk) / 1e6, 0), fmt(m(rows[n].rate), 0), fmt(m(rows[n].p50), 3), fmt(m(rows[n].p99), 3)]),
    );
    console.log(`proxy/direct bulk throughput: ${fmt(m(rows.proxy.bulk) / m(rows.direct.bulk))}x; ping-pong rate: ${fmt(m(rows.proxy.rate) / m(rows.direct.rate))}x`);
    console.log(`proxy CPU: ${fmt(m(cpu.bulk), 0)} ms per GB of bulk, ${fmt(m(cpu.ping), 1)} µs per round trip`);

    const plain: { p50: number; p99: number }[] = [];
    const toxic: { p50: number; p99: number }[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      plain.push(await pingPong(proxy.port, SECONDS / 2));
      toxic.push(await pingPong(slow.port, SECONDS / 2));
    }
    const added50 = m(toxic.map((r) => r.p50)) - m(plain.map((r) => r.p50));
    const added99 = m(toxic.map((r) => r.p99)) - m(plain.map((r) => r.p99));
    console.log(`latency toxic of ${LATENCY_MS} ms (downstream): adds ${fmt(added50, 2)} ms at p50 (${fmt(added50 / LATENCY_MS, 3)}x), ${fmt(added99, 2)} ms at p99 (${fmt(added99 / LATENCY_MS, 3)}x) over the same proxy without it`);
  } finally {
    await Promise.all(children.map((c) => c.stop()));
  }
  await propagationBench();
}

const CHANGES = Number(process.env.BENCH_CHANGES ?? 20);

/**
 * `--control`: how long a change made through one toxiproxy server takes to
 * be served by another on the same control plane (memory store), as that
 * server's own registry sees it (its listener up, its toxic set): the long
 * poll's push, not a read, which would ask the control plane itself.
 */
async function propagationBench(): Promise<void> {
  const control = await startControlPlane({ listen: { host: '127.0.0.1', port: 0 }, log: () => {} });
  const start = () => startToxiproxyServer({ listen: { host: '127.0.0.1', port: 0 }, version: 'bench', control: { urls: [control.url] }, log: () => {} });
  const [a, b] = [await start(), await start()];
  const post = (url: string, path: string, body: unknown) => fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const until = async (check: () => boolean) => {
    for (const deadline = performance.now() + 10_000; !check(); ) {
      if (performance.now() > deadline) throw new Error('a change did not arrive within 10 s');
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  const proxyMs: number[] = [];
  const toxicMs: number[] = [];
  try {
    for (let i = 0; i < CHANGES; i++) {
      const name = `bench_${i}`;
      let started = performance.now();
      await post(a.url, '/proxies', { name, upstream: '127.0.0.1:9' });
      await until(() => b.registry.stats().some((s) => s.name === name && s.enabled));
      proxyMs.push(performance.now() - started);
      started = performance.now();
      await post(b.url, `/proxies/${name}/toxics`, { type: 'latency', attributes: { latency: 1 } });
      await until(() => a.registry.stats().some((s) => s.name === name && s.toxics.length === 1));
      toxicMs.push(performance.now() - started);
    }
  } finally {
    await a.close();
    await b.close();
    await control.close();
  }
  const max = (xs: number[]) => Math.max(...xs);
  console.log(`--control, two servers on one control plane (memory store), ${CHANGES} changes each way: a proxy created on A listens on B after ${fmt(median(proxyMs), 1)} ms median (max ${fmt(max(proxyMs), 1)}); a toxic added on B is on A's proxy after ${fmt(median(toxicMs), 1)} ms median (max ${fmt(max(toxicMs), 1)}), request included`);
}

// Run alone when this file is the entry point (npm run bench:toxiproxy); bench/run.ts imports it.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  toxiproxyBench().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
