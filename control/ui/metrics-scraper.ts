import { request } from 'undici';
import { parseEdges, type EdgeSample } from './prom-text.js';

/** Somewhere edge counters are read from: a proxy's admin /metrics, or a proxy's own registry. */
export interface ScrapeTarget {
  readonly id: string;
  read(): Promise<string>;
}

/** A dashboard's scrape must never wait long on one proxy: the next one is 2 s away. */
const SCRAPE_TIMEOUT_MS = 1500;
/** A proxy's /metrics is a few hundred KiB; more is not a proxy's, and is not read (as GET /metrics on the control plane). */
const MAX_BYTES = 8 * 1024 * 1024;

/**
 * A proxy's admin /metrics, fetched over loopback or the network. Only the
 * admin listener is asked, never the data plane; with --workers the
 * primary answers from its workers' registries.
 */
export function adminTarget(id: string, adminUrl: string): ScrapeTarget {
  return {
    id,
    async read() {
      const r = await request(new URL('/metrics', adminUrl), { headersTimeout: SCRAPE_TIMEOUT_MS, bodyTimeout: SCRAPE_TIMEOUT_MS });
      if (r.statusCode !== 200) {
        r.body.destroy();
        throw new Error(`/metrics answered ${r.statusCode}`);
      }
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of r.body) {
        size += (chunk as Buffer).length;
        if (size > MAX_BYTES) {
          r.body.destroy();
          throw new Error(`/metrics is larger than ${MAX_BYTES} bytes`);
        }
        chunks.push(chunk as Buffer);
      }
      return Buffer.concat(chunks).toString('utf8');
    },
  };
}

/** Every target at once; one that fails is named in `errors` and left out of this round. */
export async function scrapeAll(targets: readonly ScrapeTarget[]): Promise<{ samples: Map<string, EdgeSample>; errors: string[] }> {
  const samples = new Map<string, EdgeSample>();
  const errors: string[] = [];
  await Promise.all(
    targets.map(async (t) => {
      try {
        samples.set(t.id, parseEdges(await t.read()));
      } catch (err) {
        errors.push(`${t.id}: ${(err as Error).message.replace(/\n/g, ' ')}`);
      }
    }),
  );
  return { samples, errors: errors.sort() };
}
