import { execFile, execFileSync } from 'node:child_process';
import autocannon from 'autocannon';
import { Pool } from 'undici';
/** Percentile of latencies in ms (nearest rank). */
export function percentile(sorted, p) {
    if (sorted.length === 0)
        return NaN;
    return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}
/**
 * Closed loop: `connections` clients each send the next request as soon as the
 * last one is answered, for `seconds`. Latencies come from autocannon's
 * per-response event in fractional ms (its own histogram rounds to 1 ms).
 */
export async function closedLoop(url, host, connections, seconds) {
    const latencies = [];
    const instance = autocannon({ url, connections, duration: seconds, headers: { host }, pipelining: 1 });
    instance.on('response', (_client, _status, _bytes, ms) => latencies.push(ms));
    const result = await instance;
    latencies.sort((a, b) => a - b);
    return { rps: result.requests.average, p50: percentile(latencies, 50), p99: percentile(latencies, 99), errors: result.errors + result.non2xx };
}
/**
 * Open loop at a fixed rate: requests are sent on a schedule whatever the
 * server does, so a stall shows up in the tail instead of slowing the sender. autocannon's rate limit sends each second's requests in a burst,
 * which measures queueing, not the latency a hop adds.
 */
export async function openLoop(origin, host, rate, seconds) {
    const pool = new Pool(origin, { connections: 64, pipelining: 1 });
    const total = rate * seconds;
    const interval = 1000 / rate;
    const latencies = [];
    let errors = 0;
    const start = performance.now();
    const inflight = [];
    for (let i = 0; i < total; i++) {
        const due = start + i * interval;
        const wait = due - performance.now();
        if (wait > 1)
            await new Promise((r) => setTimeout(r, wait));
        // Timed from the actual send: timers wake up to a millisecond off, and a
        // request sent early must not be timed from a later due time.
        const from = performance.now();
        inflight.push(pool
            .request({ path: '/', method: 'GET', headers: { host } })
            .then(async (res) => {
            await res.body.dump();
            if (res.statusCode !== 200)
                errors++;
            latencies.push(performance.now() - from);
        })
            .catch(() => void errors++));
    }
    await Promise.all(inflight);
    await pool.close();
    latencies.sort((a, b) => a - b);
    return { rps: total / ((performance.now() - start) / 1000), p50: percentile(latencies, 50), p99: percentile(latencies, 99), errors };
}
/** True when wrk is on PATH: a C load generator leaves more of a small machine's CPU to the proxies under test. */
export function hasWrk() {
    try {
        execFileSync('wrk', ['--version'], { stdio: 'ignore' });
        return true;
    }
    catch (err) {
        // wrk --version exits 1 after printing its banner; only a missing binary is "no wrk".
        return err.code !== 'ENOENT';
    }
}
/** The closed loop of closedLoop(), driven by wrk in its own process. */
export function closedLoopWrk(url, host, connections, seconds) {
    const args = ['-t1', `-c${connections}`, `-d${seconds}s`, '--latency', '-H', `Host: ${host}`, url];
    return new Promise((resolve, reject) => {
        execFile('wrk', args, (err, stdout) => {
            if (err)
                return reject(new Error(`wrk failed: ${err.message}`));
            const rps = /Requests\/sec:\s+([\d.]+)/.exec(stdout);
            const p50 = /\s50%\s+([\d.]+)(us|ms|s)/.exec(stdout);
            const p99 = /\s99%\s+([\d.]+)(us|ms|s)/.exec(stdout);
            const errors = /Non-2xx or 3xx responses:\s+(\d+)/.exec(stdout);
            const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(stdout);
            if (!rps || !p50 || !p99)
                return reject(new Error(`cannot read wrk output:\n${stdout}`));
            const sockets = socketErrors ? socketErrors.slice(1).reduce((n, v) => n + Number(v), 0) : 0;
            resolve({ rps: Number(rps[1]), p50: toMs(p50), p99: toMs(p99), errors: Number(errors?.[1] ?? 0) + sockets });
        });
    });
}
const toMs = (m) => Number(m[1]) * (m[2] === 'us' ? 0.001 : m[2] === 's' ? 1000 : 1);
//# sourceMappingURL=load.js.map