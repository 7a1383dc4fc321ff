import cluster from 'node:cluster';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Asks } from './asks.js';
import { CrashGuard } from './crash-guard.js';
import { RuleTally } from './rule-tally.js';
import { isFromWorker } from './messages.js';
// Beside this file, with its extension: .ts under tsx, .js once built.
const WORKER_ENTRY = fileURLToPath(new URL(`./worker-main${extname(fileURLToPath(import.meta.url))}`, import.meta.url));
/**
 * The primary's workers: forks them, feeds them, waits on them, replaces
 * the ones that die. Talks to each over its IPC channel only.
 */
export class WorkerPool {
    options;
    slots = [];
    asks = new Asks();
    crashes = new CrashGuard();
    waits = new Set();
    tally = new RuleTally();
    drained = [];
    settings;
    /** The port the workers share, once the first one listens. */
    port;
    stopping = false;
    startup;
    constructor(options) {
        this.options = options;
        this.settings = options.settings;
        // SCHED_RR (the primary accepts and hands connections out in turn), from
        // a measurement on the 2-core dev machine, shared with other load:
        // autocannon -c 50 -d 5 (wrk is not installed) through two workers to
        // one upstream, access log on, 8 alternating pairs: RR ahead in 6, medians
        // about 7,400 req/s for RR and 6,700 for SCHED_NONE, within the noise of
        // a busy machine. What decides it is the spread: with SCHED_NONE the
        // kernel gave one worker up to 3x the other's connections (a keep-alive
        // connection stays where it landed, so that skew lasts), with RR they
        // were within 10%. RR's cost is an IPC hop per new connection, not per
        // request. NODE_CLUSTER_SCHED_POLICY=none still picks the other, to measure again.
        if (!process.env.NODE_CLUSTER_SCHED_POLICY)
            cluster.schedulingPolicy = cluster.SCHED_RR;
        // Structured clone: the primary's parsed specs and meshes arrive whole (undefined, Infinity).
        cluster.setupPrimary({ exec: WORKER_ENTRY, serialization: 'advanced' });
    }
    /** Forks every worker; resolves with the address they share once all listen, rejects if one cannot start. */
    start() {
        return new Promise((resolve, reject) => {
            this.startup = { resolve, reject };
            for (let index = 0; index < this.options.count; index++)
                this.slots.push(this.fork(index));
        });
    }
    /** Sends to every started worker (but `except`, the one an ejection came from). */
    broadcast(m, except) {
        for (const s of this.slots)
            if (s.started && s !== except)
                this.send(s, m);
    }
    /** Resolves once every started worker applied `version`, or after `ms` with the ones that did not. */
    waitApplied(version, ms) {
        return new Promise((resolve) => {
            const wait = {
                version,
                done: (lagging) => {
                    clearTimeout(timer);
                    this.waits.delete(wait);
                    resolve(lagging);
                },
            };
            const timer = setTimeout(() => wait.done(this.lagging(version)), ms);
            this.waits.add(wait);
            this.checkWaits();
        });
    }
    /** Asks every listening worker for its rule counts and requests in flight; bounded by `ms`. */
    async collect(ms) {
        await this.asks.ask(this.listening(), ms, (s, id) => this.send(s, { type: 'collect', id }));
    }
    /** Every listening worker's registry as JSON, by pid (those that answer within `ms`), and the pids of the workers alive now. */
    async metrics(ms) {
        const replies = await this.asks.ask(this.listening(), ms, (s, id) => this.send(s, { type: 'metrics', id }));
        const answered = new Map();
        for (const [s, r] of replies)
            answered.set(s.worker.process.pid ?? -1, r.metrics);
        const live = new Set();
        for (const s of this.slots)
            if (!s.worker.isDead() && s.worker.process.pid !== undefined)
                live.add(s.worker.process.pid);
        return { answered, live };
    }
    /** Each rule's counts summed over the workers, live and dead (rule-tally.ts); forgets dead workers' counts of rules not in `live`. */
    ruleCounts(live) {
        this.tally.retain(live);
        return this.tally.sum(this.slots.map((s) => s.counts));
    }
    inFlight() {
        return this.slots.reduce((n, s) => n + (s.listening ? s.inFlight : 0), 0);
    }
    /** For /healthz. */
    describe(version) {
        return {
            count: this.options.count,
            listening: this.slots.filter((s) => s.listening).length,
            version,
            list: this.slots.map((s) => ({ index: s.index, pid: s.worker.process.pid ?? null, listening: s.listening, appliedVersion: s.applied })),
        };
    }
    /** Tells every worker to drain for up to `drainMs` and waits for them all to exit (killing the ones that overstay). */
    async shutdown(drainMs) {
        this.stopping = true;
        const alive = this.slots.map((s) => s.worker).filter((w) => !w.isDead());
        const exited = Promise.all(alive.map((w) => new Promise((resolve) => (w.isDead() ? resolve(undefined) : w.once('exit', resolve)))));
        for (const w of alive)
            if (w.isConnected())
                w.send({ type: 'shutdown', drainMs });
            else
                w.process.kill('SIGKILL');
        const overstay = setTimeout(() => alive.forEach((w) => w.process.kill('SIGKILL')), drainMs + 5_000);
        await exited;
        clearTimeout(overstay);
        const cut = this.drained.reduce((n, d) => n + d.cut, 0);
        return { drained: this.drained.length === alive.length && this.drained.every((d) => d.drained), cut };
    }
    fork(index, slot) {
        const worker = cluster.fork();
        const s = slot ?? { index, worker, started: false, port: 0, listening: false, applied: -1, inFlight: 0, counts: {} };
        Object.assign(s, { worker, started: false, listening: false, applied: -1, inFlight: 0, counts: {} });
        worker.on('message', (m) => {
            if (s.worker === worker && isFromWorker(m))
                this.onMessage(s, m);
        });
        worker.on('exit', (code, signal) => {
            if (s.worker === worker)
                this.onExit(s, code, signal);
        });
        // An error on the channel (the worker died mid-send) is followed by its exit, handled there.
        worker.on('error', () => { });
        return s;
    }
    onMessage(s, m) {
        switch (m.type) {
            case 'hello': {
                const { state, ejections, identity } = this.options.join();
                s.started = true;
                s.port = this.portFor(s);
                const settings = { ...this.settings, listen: { host: this.settings.listen.host, port: s.port } };
                this.send(s, { type: 'start', index: s.index, settings, state, ejections, identity });
                return;
            }
            case 'listening':
                s.listening = true;
                s.applied = Math.max(s.applied, m.version);
                this.onListening(m);
                return this.checkWaits();
            case 'applied':
                s.applied = Math.max(s.applied, m.version);
                return this.checkWaits();
            case 'failed':
                if (this.startup)
                    this.failStartup(Object.assign(new Error(`worker ${s.index}: ${m.message}`), { code: m.code }));
                return;
            case 'ejected':
                return this.options.onEjected(s, m.ejection);
            case 'collected':
                s.inFlight = m.inFlight;
                s.counts = m.counts;
                return this.asks.answer(m.id, s, m);
            case 'metrics':
                return this.asks.answer(m.id, s, m);
            case 'drained':
                this.drained.push({ drained: m.drained, cut: m.cut });
                return;
        }
    }
    /**
     * Cluster shares one listening handle per host and port asked for: every
     * worker asking for HOST:0 gets the same port, picked once. So a worker
     * asks for what its live siblings asked for (HOST:0 while one of those
     * lives, keeping the handle open), and for the port picked once none is
     * left to share the handle with (the primary closed it).
     */
    portFor(s) {
        const asked = this.settings.listen.port;
        if (asked !== 0 || this.port === undefined)
            return asked;
        return this.slots.some((o) => o !== s && o.started && o.port === 0 && !o.worker.isDead()) ? 0 : this.port;
    }
    onListening(m) {
        this.port ??= m.port;
        if (m.port !== this.port)
            this.options.log(`a worker listens on port ${m.port}, not ${this.port}`);
        if (this.startup && this.slots.length === this.options.count && this.slots.every((s) => s.listening)) {
            this.startup.resolve({ host: m.host, port: this.port });
            this.startup = undefined;
        }
    }
    onExit(s, code, signal) {
        this.tally.retire(s.counts);
        Object.assign(s, { started: false, listening: false, inFlight: 0, counts: {} });
        this.asks.forget(s);
        this.checkWaits();
        if (this.stopping)
            return;
        const pid = s.worker.process.pid;
        const how = signal ? `signal ${signal}` : `code ${code}`;
        if (this.startup)
            return this.failStartup(new Error(`worker ${s.index} (pid ${pid}) exited with ${how} before it listened`));
        const verdict = this.crashes.record(Date.now());
        if (verdict.kind === 'give-up') {
            this.stopping = true;
            return this.options.onGiveUp(`worker ${s.index} (pid ${pid}) exited with ${how}: ${verdict.reason}; not replacing it`);
        }
        this.options.log(`worker ${s.index} (pid ${pid}) exited with ${how}; starting a replacement${verdict.delayMs ? ` in ${verdict.delayMs}ms` : ''}`);
        setTimeout(() => {
            if (!this.stopping)
                this.fork(s.index, s);
        }, verdict.delayMs).unref();
    }
    failStartup(err) {
        const startup = this.startup;
        this.startup = undefined;
        void this.shutdown(0).then(() => startup?.reject(err));
    }
    listening() {
        return this.slots.filter((s) => s.listening);
    }
    lagging(version) {
        return this.slots.filter((s) => s.started && s.applied < version).map((s) => ({ index: s.index, pid: s.worker.process.pid }));
    }
    checkWaits() {
        for (const w of this.waits)
            if (this.lagging(w.version).length === 0)
                w.done([]);
    }
    send(s, m) {
        // A worker that just died is no longer connected; its exit handles the rest.
        if (s.worker.isConnected())
            s.worker.send(m, undefined, () => { });
    }
}
//# sourceMappingURL=worker-pool.js.map