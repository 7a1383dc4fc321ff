import { fork } from 'node:child_process';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { STARTUP_TIMEOUT_MS } from '../../demo/children.js';
/**
 * Light watchers spread over a few worker processes, so that neither the
 * bench nor one event loop of watchers is what the figures measure.
 */
export class WatcherPool {
    workers;
    seq = 0;
    pending = new Map();
    constructor(workers) {
        this.workers = workers;
        for (const w of workers)
            w.on('message', (m) => this.onMessage(m));
    }
    /**
     * Starts `count` watchers over `workers` processes, worker w on
     * `origins[w % origins.length]` (several control-plane replicas share them
     * out); resolves once every one has acknowledged its first snapshot.
     */
    static async start(origins, token, count, workers) {
        const list = typeof origins === 'string' ? [origins] : origins;
        // At least one worker per origin, so that every replica gets watchers.
        workers = Math.max(workers, list.length);
        // The worker beside this module: watchers.js when built, watchers.ts (through tsx) in tests.
        const script = fileURLToPath(new URL(`./watchers${extname(import.meta.url)}`, import.meta.url));
        const per = Math.ceil(count / workers);
        const procs = [];
        const ready = [];
        for (let w = 0, left = count; w < workers && left > 0; w++, left -= per) {
            const proc = fork(script, [list[w % list.length], String(Math.min(per, left)), `watcher-${w}`], {
                execArgv: script.endsWith('.ts') ? ['--import', 'tsx'] : [],
                env: { ...process.env, BENCH_CONTROL_TOKEN: token ?? '' },
                stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
            });
            procs.push(proc);
            ready.push(readyOf(proc, `watcher worker ${w}`));
        }
        try {
            await Promise.all(ready);
        }
        catch (err) {
            for (const p of procs)
                p.kill('SIGKILL');
            throw err;
        }
        return new WatcherPool(procs);
    }
    /** Every watcher's first ack at or after `version`; rejects when one has not acked within `timeoutMs`. */
    async waitAll(version, timeoutMs = 30_000) {
        const answers = await Promise.all(this.workers.map((w) => this.ask(w, { type: 'wait', seq: ++this.seq, version, timeoutMs })));
        const out = { received: [], acked: [] };
        for (const a of answers) {
            if (a.type !== 'acked')
                continue;
            if ('error' in a)
                throw new Error(a.error);
            out.received.push(...a.received);
            out.acked.push(...a.acked);
        }
        return out;
    }
    /** The worker processes' pids, for their CPU time. */
    get pids() {
        return this.workers.map((w) => w.pid);
    }
    /** Every watcher reports every `everyMs` (0: stop), as proxies do every 2 s. */
    report(everyMs) {
        for (const w of this.workers)
            w.send({ type: 'report', everyMs });
    }
    /** Reports answered 200 so far, and posts that failed. */
    async counts() {
        const answers = await Promise.all(this.workers.map((w) => this.ask(w, { type: 'counts', seq: ++this.seq })));
        let reports = 0;
        let errors = 0;
        for (const a of answers)
            if (a.type === 'counts')
                (reports += a.reports), (errors += a.errors);
        return { reports, errors };
    }
    async close() {
        await Promise.all(this.workers.map((w) => new Promise((resolve) => {
            if (w.exitCode !== null || w.signalCode !== null)
                return resolve();
            const force = setTimeout(() => w.kill('SIGKILL'), 5_000);
            w.once('exit', () => {
                clearTimeout(force);
                resolve();
            });
            w.send({ type: 'close' });
        })));
    }
    ask(worker, message) {
        return new Promise((resolve) => {
            this.pending.set(message.seq, resolve);
            worker.send(message);
        });
    }
    onMessage(m) {
        if (!('seq' in m))
            return;
        const resolve = this.pending.get(m.seq);
        this.pending.delete(m.seq);
        resolve?.(m);
    }
}
function readyOf(proc, name) {
    return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${name} was not ready within ${STARTUP_TIMEOUT_MS} ms`)), STARTUP_TIMEOUT_MS);
        proc.on('message', (m) => {
            if (m.type === 'ready')
                (clearTimeout(timer), resolve());
            if (m.type === 'failed')
                (clearTimeout(timer), reject(new Error(`${name}: ${m.message}`)));
        });
        proc.once('exit', (code) => (clearTimeout(timer), reject(new Error(`${name} exited with ${code}`))));
    });
}
//# sourceMappingURL=watcher-pool.js.map