import { Router } from 'express';
import { request } from 'undici';
import type { ObservedProxy } from '../push/observed-proxies.js';

const FAMILIES = ['faultmesh_requests_total', 'faultmesh_request_duration_seconds_bucket'];
const FETCH_TIMEOUT_MS = 5000;

/** `name{labels} value` with `proxy="<id>"` first among the labels; undefined for lines of other families. */
export function labelLine(line: string, proxy: string): string | undefined {
  const name = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line)?.[0];
  if (!name || !FAMILIES.includes(name)) return undefined;
  const after = line.slice(name.length);
  if (!after.startsWith('{')) return `${name}{proxy="${proxy}"}${after}`;
  // The value and timestamp after the labels hold no "}", so the last one closes them.
  const close = after.lastIndexOf('}');
  const inner = after.slice(1, close);
  return `${name}{proxy="${proxy}"${inner ? `,${inner}` : ''}}${after.slice(close + 1)}`;
}

/**
 * GET /metrics: each connected proxy's request counters and latency
 * buckets, fetched on demand from the admin URL it gave when it connected,
 * with a `proxy` label, so runner/mesh-metrics.ts reads one control URL as
 * it reads many proxies. A proxy that does not answer is left out, and
 * named in a comment.
 */
export function metricsRoute(everyProxy: () => Promise<readonly ObservedProxy[]>): Router {
  const router = Router();
  router.get('/metrics', async (_req, res) => {
    // Every replica's proxies, so one control URL measures the whole mesh however its proxies are spread.
    const proxies = (await everyProxy()).filter((p) => p.connected && p.admin);
    const parts = await Promise.all(
      proxies.map(async (p) => {
        try {
          const r = await request(new URL('/metrics', p.admin), { headersTimeout: FETCH_TIMEOUT_MS, bodyTimeout: FETCH_TIMEOUT_MS });
          const text = await r.body.text();
          if (r.statusCode !== 200) return `# ${p.id}: /metrics answered ${r.statusCode}\n`;
          return text
            .split('\n')
            .map((l) => labelLine(l, p.id))
            .filter((l) => l !== undefined)
            .map((l) => `${l}\n`)
            .join('');
        } catch (err) {
          return `# ${p.id}: unreachable: ${(err as Error).message.replace(/\n/g, ' ')}\n`;
        }
      }),
    );
    const head = FAMILIES.map((f) => `# TYPE ${f.replace(/_bucket$/, '')} ${f.endsWith('_bucket') ? 'histogram' : 'counter'}\n`).join('');
    res.set('content-type', 'text/plain; version=0.0.4; charset=utf-8').send(head + parts.join(''));
  });
  return router;
}
