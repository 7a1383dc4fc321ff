import { Router } from 'express';
import { request } from 'undici';
// The request counters and latency for probes and reports, the per-subset attempts a canary is judged on, and what the mesh did (retries, ejections, faults) for reports' charts.
const FAMILIES = ['faultmesh_requests_total', 'faultmesh_request_duration_seconds_bucket', 'faultmesh_subset_attempts_total', 'faultmesh_subset_attempt_duration_seconds_bucket', 'faultmesh_retries_total', 'faultmesh_outlier_ejections_total', 'faultmesh_faults_injected_total'];
const FETCH_TIMEOUT_MS = 5000;
/** A proxy's /metrics is a few hundred KiB; an admin URL that answers with more is not a proxy's, and is not buffered. */
export const MAX_METRICS_BYTES = 8 * 1024 * 1024;
/** `name{labels} value` with `proxy="<id>"` first among the labels; undefined for lines of other families. */
export function labelLine(line, proxy) {
    const name = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line)?.[0];
    if (!name || !FAMILIES.includes(name))
        return undefined;
    const after = line.slice(name.length);
    if (!after.startsWith('{'))
        return `${name}{proxy="${proxy}"}${after}`;
    // The value and timestamp after the labels hold no "}", so the last one closes them.
    const close = after.lastIndexOf('}');
    const inner = after.slice(1, close);
    return `${name}{proxy="${proxy}"${inner ? `,${inner}` : ''}}${after.slice(close + 1)}`;
}
/**
 * GET /metrics: each connected proxy's request counters and latency
 * buckets (overall and per route subset), fetched on demand from the admin URL it gave when it connected,
 * with a `proxy` label, so runner/mesh-metrics.ts reads one control URL as
 * it reads many proxies. A proxy that does not answer is left out, and
 * named in a comment. The control plane's own families (`own`) follow.
 */
export function metricsRoute(everyProxy, own) {
    const router = Router();
    router.get('/metrics', async (_req, res) => {
        // Every replica's proxies, so one control URL measures the whole mesh however its proxies are spread.
        const proxies = (await everyProxy()).filter((p) => p.connected && p.admin);
        const parts = await Promise.all(proxies.map(async (p) => {
            try {
                const r = await request(new URL('/metrics', p.admin), { headersTimeout: FETCH_TIMEOUT_MS, bodyTimeout: FETCH_TIMEOUT_MS });
                if (r.statusCode !== 200) {
                    r.body.destroy();
                    return `# ${p.id}: /metrics answered ${r.statusCode}\n`;
                }
                const text = await readCapped(r.body, MAX_METRICS_BYTES);
                if (text === undefined)
                    return `# ${p.id}: /metrics is larger than ${MAX_METRICS_BYTES} bytes: left out\n`;
                return text
                    .split('\n')
                    .map((l) => labelLine(l, p.id))
                    .filter((l) => l !== undefined)
                    .map((l) => `${l}\n`)
                    .join('');
            }
            catch (err) {
                return `# ${p.id}: unreachable: ${err.message.replace(/\n/g, ' ')}\n`;
            }
        }));
        const head = FAMILIES.map((f) => `# TYPE ${f.replace(/_bucket$/, '')} ${f.endsWith('_bucket') ? 'histogram' : 'counter'}\n`).join('');
        res.set('content-type', 'text/plain; version=0.0.4; charset=utf-8').send(head + parts.join('') + (own ? await own.metrics() : ''));
    });
    return router;
}
/** The body as text, or undefined (and the body destroyed) once it passes `max` bytes. */
async function readCapped(body, max) {
    const chunks = [];
    let size = 0;
    for await (const chunk of body) {
        size += chunk.length;
        if (size > max) {
            body.destroy();
            return undefined;
        }
        chunks.push(chunk);
    }
    return Buffer.concat(chunks).toString('utf8');
}
//# sourceMappingURL=metrics-route.js.map