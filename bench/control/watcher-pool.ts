import { fork, type ChildProcess } from 'node:child_process';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { STARTUP_TIMEOUT_MS } from '../../demo/children.js';
import type { FromWorker, ToWorker } from './worker-messages.js';

/** When each watcher received and acknowledged a version, µs on the host's monotonic clock. */
export interface WatcherAcks {
  readonly received: number[];
  readonly acked: number[];
}

/**
 * Light watchers spread over a few worker processes, so that neither the
 * bench nor one event loop of watchers is what the figures measure.
 */
export class WatcherPool {
  private seq = 0;
  private readonly pending = new Map<number, (m: FromWorker) => void>();

  private constructor(private readonly workers: readonly ChildProcess[]) {
    for (const w of workers) w.on('message', (m: FromWorker) => this.onMessage(m));
  }

  /**
   * Starts `count` watchers over `workers` processes, worker w on
   * `origins[w % origins.length]` (several control-plane replicas share them
   * out); resolves once every one has acknowledged its first snapshot.
   */
  static async start(origins: string | readonly string[], token: string | undefined, count: number, workers: number): Promise<WatcherPool> {
    const list = typeof origins === 'string' ? [origins] : origins;
    // At least one worker per origin, so that every replica gets watchers.
    workers = Math.max(workers, list.length);
    // The worker beside this module: watchers.js when built, watchers.ts (through tsx) in tests.
    const script = fileURLToPath(new URL(`./watchers${extname(import.meta.url)}`, import.meta.url));
    const per = Math.ceil(count / workers);
    const procs: ChildProcess[] = [];
    const ready: Promise<void>[] = [];
    for (let w = 0, left = count; w < workers && left > 0; w++, left -= per) {
      const proc = fork(script, [list[w % list.length]!, String(Math.min(per, left)), `watcher-${w}`], {
        execArgv: script.endsWith('.ts') ? ['--import', 'tsx'] : [],
        env: { ...process.env, BENCH_CONTROL_TOKEN: token ?? '' },
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      procs.push(proc);
      ready.push(readyOf(proc, `watcher worker ${w}`));
    }
    try {
      await Promise.all(ready);
    } catch (err) {
      for (const p of procs) p.kill('SIGKILL');
      throw err;
    }
    return new WatcherPool(procs);
  }

  /** Every watcher's first ack at or after `version`; rejects when one has not acked within `timeoutMs`. */
  async waitAll(version: number, timeoutMs = 30_000): Promise<WatcherAcks> {
    const answers = await Promise.all(this.workers.map((w) => this.ask(w, { type: 'wait', seq: ++this.seq, version, timeoutMs })));
    const out: WatcherAcks = { received: [], acked: [] };
    for (const a of answers) {
      if (a.type !== 'acked') continue;
      if ('error' in a) throw new Error(a.error);
      out.received.push(...a.received);
      out.acked.push(...a.acked);
    }
    return out;
  }

  /** The worker processes' pids, for their CPU time. */
  get pids(): number[] {
    return this.workers.map((w) => w.pid!);
  }

  /** Every watcher reports every `everyMs` (0: stop), as proxies do every 2 s. */
  report(everyMs: number): void {
    for (const w of this.workers) w.send({ type: 'report', everyMs } satisfies ToWorker);
  }

  /** Reports answered 200 so far, and posts that failed. */
  async counts(): Promise<{ reports: number; errors: number }> {
    const answers = await Promise.all(this.workers.map((w) => this.ask(w, { type: 'counts', seq: ++this.seq })));
    let reports = 0;
    let errors = 0;
    for (const a of answers) if (a.type === 'counts') (reports += a.reports), (errors += a.errors);
    return { reports, errors };
  }

  async close(): Promise<void> {
    await Promise.all(
      this.workers.map(
        (w) =>
          new Promise<void>((resolve) => {
            if (w.exitCode !== null || w.signalCode !== null) return resolve();
            const force = setTimeout(() => w.kill('SIGKILL'), 5_000);
            w.once('exit', () => {
              clearTimeout(force);
              resolve();
            });
            w.send({ type: 'close' } satisfies ToWorker);
          }),
      ),
    );
  }

  private ask(worker: ChildProcess, message: ToWorker & { seq: number }): Promise<FromWorker> {
    return new Promise((resolve) => {
      this.pending.set(message.seq, resolve);
      worker.send(message);
    });
  }

  private onMessage(m: FromWorker): void {
    if (!('seq' in m)) return;
    const resolve = this.pending.get(m.seq);
    this.pending.delete(m.seq);
    resolve?.(m);
  }
}

function readyOf(proc: ChildProcess, name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} was not ready within ${STARTUP_TIMEOUT_MS} ms`)), STARTUP_TIMEOUT_MS);
    proc.on('message', (m: FromWorker) => {
      if (m.type === 'ready') (clearTimeout(timer), resolve());
      if (m.type === 'failed') (clearTimeout(timer), reject(new Error(`${name}: ${m.message}`)));
    });
    proc.once('exit', (code) => (clearTimeout(timer), reject(new Error(`${name} exited with ${code}`))));
  });
}
