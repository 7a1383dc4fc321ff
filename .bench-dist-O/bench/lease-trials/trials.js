import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { faultsOn } from './deployment.js';
/** The holder beside this file: compiled when the bench runs from dist/, else its source, through tsx. */
const HOLDER = fileURLToPath(import.meta.url).replace(/trials\.(ts|js)$/, 'holder.$1');
const POLL_EVERY_MS = 20;
/** After the lease's end, how long the bench waits before it counts a fault as never removed. */
const GIVE_UP_AFTER_MS = 15_000;
/**
 * Reads every proxy's fault list every 20 ms, one round at a time, and
 * answers every trial waiting on it from the same round: the load on the
 * proxies stays the same however many trials are in flight.
 */
class ProxyPoller {
    admins;
    waiters = new Set();
    running = true;
    loop;
    constructor(admins) {
        this.admins = admins;
        this.loop = this.run();
    }
    /** Resolves with Date.now() of the first round whose answers make `holds` true. */
    until(holds) {
        return new Promise((resolve) => this.waiters.add({ holds, resolve }));
    }
    async stop() {
        this.running = false;
        await this.loop;
    }
    async run() {
        while (this.running) {
            const started = Date.now();
            if (this.waiters.size > 0) {
                const lists = await Promise.all(this.admins.map(faultsOn));
                const at = Date.now();
                for (const w of [...this.waiters])
                    if (w.holds(lists))
                        (this.waiters.delete(w), w.resolve(at));
            }
            await new Promise((r) => setTimeout(r, Math.max(1, POLL_EVERY_MS - (Date.now() - started))));
        }
    }
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function withTimeout(p, ms, what) {
    let timer;
    try {
        return await Promise.race([p, new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} within ${ms} ms`)), ms)))]);
    }
    finally {
        clearTimeout(timer);
    }
}
async function trial(index, d, poller, options) {
    const fault = `lease-trial-${index}`;
    const argv = [...(HOLDER.endsWith('.ts') ? ['--import', 'tsx'] : []), HOLDER, d.replicas[index % d.replicas.length], fault, String(options.ttlMs)];
    const proc = spawn(process.execPath, argv, { stdio: ['ignore', 'pipe', 'inherit'] });
    const closed = once(proc, 'close');
    let granted;
    let renewedAt;
    let renewedTtl;
    let failure;
    const added = new Promise((resolve, reject) => {
        createInterface({ input: proc.stdout }).on('line', (text) => {
            const line = JSON.parse(text);
            if (line.error)
                (failure ??= line.error, reject(new Error(`trial ${index}: the holder says: ${line.error}`)));
            else if (line.grantedAt !== undefined)
                (granted = { ttlMs: line.ttlMs, grantedAt: line.grantedAt }, resolve());
            else if (line.renewedAt !== undefined)
                (renewedAt = line.renewedAt, renewedTtl = line.ttlMs);
        });
        proc.once('exit', (code) => reject(new Error(`trial ${index}: the holder exited (${code}) before it added its fault`)));
    });
    try {
        await withTimeout(added, 30_000, `trial ${index}: the holder did not add its fault`);
        await withTimeout(poller.until((lists) => lists.every((ids) => ids.has(fault))), 30_000, `trial ${index}: the fault did not reach every proxy`);
        await sleep(options.random() * granted.ttlMs);
        const killedAt = Date.now();
        proc.kill('SIGKILL');
        await closed; // every line it wrote is read: the last renewal is known
        if (failure)
            throw new Error(`trial ${index}: a renewal failed before the kill: ${failure}`);
        const ttlMs = renewedTtl ?? granted.ttlMs;
        const leaseEnd = (renewedAt ?? granted.grantedAt) + ttlMs;
        const giveUp = Math.max(0, leaseEnd + GIVE_UP_AFTER_MS - Date.now());
        const goneAt = await withTimeout(poller.until((lists) => lists.every((ids) => !ids.has(fault))), giveUp, 'gone').catch(() => undefined);
        const at = goneAt ?? Date.now();
        return { fault, ttlMs, fromKillMs: at - killedAt, fromLeaseEndMs: at - leaseEnd, timedOut: goneAt === undefined };
    }
    finally {
        if (proc.exitCode === null && proc.signalCode === null)
            proc.kill('SIGKILL');
    }
}
/** Runs `options.trials` trials, `options.parallel` at a time, and returns their results in order. */
export async function runTrials(d, options) {
    const poller = new ProxyPoller(d.proxies);
    const results = [];
    let next = 0;
    let done = 0;
    try {
        await Promise.all(Array.from({ length: Math.min(options.parallel, options.trials) }, async () => {
            while (next < options.trials) {
                const index = next++;
                const result = await trial(index, d, poller, options);
                results[index] = result;
                options.onResult?.(++done, result);
            }
        }));
    }
    finally {
        await poller.stop();
    }
    return results;
}
//# sourceMappingURL=trials.js.map