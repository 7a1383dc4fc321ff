import { request } from 'undici';
import type { ProviderOf } from '../experiment/provider-schema.js';
import { sleep } from '../sleep.js';
import { parsePromText, type Sample } from './prom-text.js';
import type { ProviderContext } from './provider-context.js';

const REQUESTS = 'faultmesh_requests_total';
const BUCKETS = 'faultmesh_request_duration_seconds_bucket';
const WANTED = new Set([REQUESTS, BUCKETS]);

/** Scrapes one proxy's /metrics; a proxy that does not answer fails the probe. */
async function scrape(admin: string, signal: AbortSignal): Promise<Sample[]> {
  const res = await request(new URL('/metrics', admin), { signal, headersTimeout: 5000, bodyTimeout: 5000 });
  const text = await res.body.text();
  if (res.statusCode !== 200) throw new Error(`${admin}/metrics answered ${res.statusCode}`);
  return parsePromText(text, WANTED);
}

type Filter = Pick<ProviderOf<'metric'>, 'destination' | 'source' | 'instance'>;
const matches = (s: Sample, f: Filter) => s.labels.destination === f.destination && (!f.source || s.labels.source === f.source) && (!f.instance || s.labels.instance === f.instance);
const seriesKey = (admin: string, s: Sample) => `${admin} ${s.name} ${JSON.stringify(s.labels)}`;

/** Counter increases between two scrapes, per series; a series new in the second scrape counts from 0. */
function deltas(admins: readonly string[], before: Sample[][], after: Sample[][], f: Filter): Sample[] {
  const out: Sample[] = [];
  admins.forEach((admin, i) => {
    const old = new Map(before[i]!.filter((s) => matches(s, f)).map((s) => [seriesKey(admin, s), s.value]));
    for (const s of after[i]!) {
      if (!matches(s, f)) continue;
      // A counter that went down means the proxy restarted: count from zero.
      const prev = old.get(seriesKey(admin, s)) ?? 0;
      out.push({ ...s, value: s.value >= prev ? s.value - prev : s.value });
    }
  });
  return out;
}

/** Prometheus' histogram_quantile over cumulative buckets, in milliseconds. */
function quantileMs(q: number, buckets: Sample[]): number {
  const byLe = new Map<number, number>();
  for (const b of buckets) {
    const le = b.labels.le === '+Inf' ? Infinity : Number(b.labels.le);
    byLe.set(le, (byLe.get(le) ?? 0) + b.value);
  }
  const sorted = [...byLe].sort((a, b) => a[0] - b[0]);
  const total = sorted.at(-1)?.[1] ?? 0;
  if (total === 0) throw new Error('no requests in the window');
  const rank = q * total;
  let prevLe = 0;
  let prevCount = 0;
  for (const [le, count] of sorted) {
    if (count >= rank) {
      // Past the last finite bucket, the best answer is that bucket's bound.
      if (le === Infinity) return prevLe * 1000;
      return (prevLe + ((le - prevLe) * (rank - prevCount)) / Math.max(1, count - prevCount)) * 1000;
    }
    prevLe = le;
    prevCount = count;
  }
  return prevLe * 1000;
}

/**
 * Reads the mesh's own metrics over a window: scrapes every proxy listed,
 * waits `window`, scrapes again, and measures what happened in between,
 * summed over the proxies. Ratios are 0 to 1; rate is requests per second;
 * latencies are milliseconds.
 */
export async function runMetric(p: ProviderOf<'metric'>, ctx: ProviderContext): Promise<number> {
  const before = await Promise.all(p.admin.map((a) => scrape(a, ctx.signal)));
  const started = performance.now();
  if (!(await sleep(p.window, ctx.signal))) throw new Error('interrupted');
  const after = await Promise.all(p.admin.map((a) => scrape(a, ctx.signal)));
  const seconds = (performance.now() - started) / 1000;
  const changed = deltas(p.admin, before, after, p);
  const requests = changed.filter((s) => s.name === REQUESTS);
  const total = requests.reduce((n, s) => n + s.value, 0);
  const ok = requests.filter((s) => /^[1-4]\d\d$/.test(s.labels.code ?? '')).reduce((n, s) => n + s.value, 0);
  const none = `no requests to ${p.destination}${p.source ? ` from ${p.source}` : ''}${p.instance ? ` on ${p.instance}` : ''} in the ${seconds.toFixed(1)}s window`;
  switch (p.measure) {
    case 'rate':
      return total / seconds;
    case 'success-ratio':
    case 'error-ratio':
      if (total === 0) throw new Error(none);
      return p.measure === 'success-ratio' ? ok / total : (total - ok) / total;
    default: {
      const q = { 'latency-p50': 0.5, 'latency-p95': 0.95, 'latency-p99': 0.99 }[p.measure];
      const buckets = changed.filter((s) => s.name === BUCKETS);
      if (!buckets.some((b) => b.value > 0)) throw new Error(none);
      return quantileMs(q, buckets);
    }
  }
}
