import { Pool } from 'undici';
import { sleep } from '../sleep.js';
const quantile = (sorted, q) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : 0);
const round = (n) => Math.round(n * 1000) / 1000;
/**
 * Drives traffic through a proxy listener at a fixed rate (an open loop: a
 * slow answer does not slow the sending), spreading requests over the paths
 * and customers given. In-flight requests are capped so a hung mesh cannot
 * pile up sockets without bound.
 */
export async function runLoad(p, ctx) {
    const pool = new Pool(p.proxy, { connections: 64, pipelining: 1, headersTimeout: p.timeout, bodyTimeout: p.timeout });
    const latencies = [];
    const statuses = {};
    let errors = 0;
    let sent = 0;
    let inFlight = 0;
    const maxInFlight = Math.max(64, Math.ceil(p.rate * (p.timeout / 1000)));
    const pending = new Set();
    const interval = 1000 / p.rate;
    const started = performance.now();
    const fire = (n) => {
        const headers = { ...p.headers, host: p.target };
        if (p.customers)
            headers[p.customerHeader] = p.customers[n % p.customers.length];
        const path = p.paths[n % p.paths.length];
        const t0 = performance.now();
        inFlight++;
        const done = pool
            .request({ path, method: p.method, headers })
            .then(async (res) => {
            await res.body.dump();
            statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
            latencies.push(performance.now() - t0);
        })
            .catch(() => {
            errors++;
        })
            .finally(() => {
            inFlight--;
            pending.delete(done);
        });
        pending.add(done);
    };
    // One abort listener for the whole load, not one per request: up to maxInFlight requests share the run's
    // signal, and a listener each made Node warn of a leak (MaxListenersExceededWarning) whenever more than 10 were out.
    const abortAll = () => void pool.destroy();
    ctx.signal.addEventListener('abort', abortAll, { once: true });
    try {
        while (!ctx.signal.aborted) {
            const elapsed = performance.now() - started;
            if (elapsed >= p.duration)
                break;
            // Catch up on every request due by now, so timer lateness does not lower the rate.
            const due = Math.min(Math.floor(elapsed / interval) + 1, Math.ceil(p.duration / interval));
            while (sent < due && inFlight < maxInFlight)
                fire(sent++);
            if (sent < due)
                sent = due; // over the in-flight cap: those requests are skipped, and show as a lower achieved rate
            await sleep(Math.max(1, interval - ((performance.now() - started) % interval)), ctx.signal);
        }
        await Promise.all(pending);
    }
    finally {
        ctx.signal.removeEventListener('abort', abortAll);
        await pool.destroy();
    }
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    const answered = latencies.length;
    const ok = Object.entries(statuses).reduce((n, [code, count]) => n + (Number(code) < 500 ? count : 0), 0);
    return {
        requests: answered + errors,
        achievedRate: round((answered + errors) / seconds),
        statuses,
        errors,
        successRatio: answered + errors ? round(ok / (answered + errors)) : 0,
        latencyMs: { p50: round(quantile(latencies, 0.5)), p95: round(quantile(latencies, 0.95)), p99: round(quantile(latencies, 0.99)), max: round(latencies.at(-1) ?? 0) },
    };
}
//# sourceMappingURL=load.js.map