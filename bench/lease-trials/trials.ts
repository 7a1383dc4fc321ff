import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { faultsOn, type TrialDeployment } from './deployment.js';

/** One trial: when its holder was killed and when every proxy had dropped the fault, measured two ways. */
export interface TrialResult {
  readonly fault: string;
  /** The ttl etcd granted. */
  readonly ttlMs: number;
  /** From the SIGKILL to the first poll in which no proxy listed the fault. */
  readonly fromKillMs: number;
  /** From the lease's end (the last renewal answered, plus the ttl) to the same poll: above 0 is time the fault outlived its lease. */
  readonly fromLeaseEndMs: number;
  /** Still on a proxy when the bench stopped waiting. */
  readonly timedOut: boolean;
}

export interface TrialOptions {
  readonly trials: number;
  /** Trials in flight at once: they overlap to keep the run short; each has its own fault and lease. */
  readonly parallel: number;
  readonly ttlMs: number;
  /** In [0, 1): when in the renewal cycle each holder dies. */
  readonly random: () => number;
  readonly onResult?: (done: number, result: TrialResult) => void;
}

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
  private readonly waiters = new Set<{ holds(lists: readonly Set<string>[]): boolean; resolve(at: number): void }>();
  private running = true;
  private readonly loop: Promise<void>;

  constructor(private readonly admins: readonly string[]) {
    this.loop = this.run();
  }

  /** Resolves with Date.now() of the first round whose answers make `holds` true. */
  until(holds: (lists: readonly Set<string>[]) => boolean): Promise<number> {
    return new Promise((resolve) => this.waiters.add({ holds, resolve }));
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  private async run(): Promise<void> {
    while (this.running) {
      const started = Date.now();
      if (this.waiters.size > 0) {
        const lists = await Promise.all(this.admins.map(faultsOn));
        const at = Date.now();
        for (const w of [...this.waiters]) if (w.holds(lists)) (this.waiters.delete(w), w.resolve(at));
      }
      await new Promise((r) => setTimeout(r, Math.max(1, POLL_EVERY_MS - (Date.now() - started))));
    }
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} within ${ms} ms`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

async function trial(index: number, d: TrialDeployment, poller: ProxyPoller, options: TrialOptions): Promise<TrialResult> {
  const fault = `lease-trial-${index}`;
  const argv = [...(HOLDER.endsWith('.ts') ? ['--import', 'tsx'] : []), HOLDER, d.replicas[index % d.replicas.length]!, fault, String(options.ttlMs)];
  const proc = spawn(process.execPath, argv, { stdio: ['ignore', 'pipe', 'inherit'] });
  const closed = once(proc, 'close');
  let granted: { ttlMs: number; grantedAt: number } | undefined;
  let renewedAt: number | undefined;
  let renewedTtl: number | undefined;
  let failure: string | undefined;
  const added = new Promise<void>((resolve, reject) => {
    createInterface({ input: proc.stdout! }).on('line', (text) => {
      const line = JSON.parse(text) as { ttlMs?: number; grantedAt?: number; renewedAt?: number; error?: string };
      if (line.error) (failure ??= line.error, reject(new Error(`trial ${index}: the holder says: ${line.error}`)));
      else if (line.grantedAt !== undefined) (granted = { ttlMs: line.ttlMs!, grantedAt: line.grantedAt }, resolve());
      else if (line.renewedAt !== undefined) (renewedAt = line.renewedAt, renewedTtl = line.ttlMs);
    });
    proc.once('exit', (code) => reject(new Error(`trial ${index}: the holder exited (${code}) before it added its fault`)));
  });
  try {
    await withTimeout(added, 30_000, `trial ${index}: the holder did not add its fault`);
    await withTimeout(poller.until((lists) => lists.every((ids) => ids.has(fault))), 30_000, `trial ${index}: the fault did not reach every proxy`);
    await sleep(options.random() * granted!.ttlMs);
    const killedAt = Date.now();
    proc.kill('SIGKILL');
    await closed; // every line it wrote is read: the last renewal is known
    if (failure) throw new Error(`trial ${index}: a renewal failed before the kill: ${failure}`);
    const ttlMs = renewedTtl ?? granted!.ttlMs;
    const leaseEnd = (renewedAt ?? granted!.grantedAt) + ttlMs;
    const giveUp = Math.max(0, leaseEnd + GIVE_UP_AFTER_MS - Date.now());
    const goneAt = await withTimeout(poller.until((lists) => lists.every((ids) => !ids.has(fault))), giveUp, 'gone').catch(() => undefined);
    const at = goneAt ?? Date.now();
    return { fault, ttlMs, fromKillMs: at - killedAt, fromLeaseEndMs: at - leaseEnd, timedOut: goneAt === undefined };
  } finally {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
  }
}

/** Runs `options.trials` trials, `options.parallel` at a time, and returns their results in order. */
export async function runTrials(d: TrialDeployment, options: TrialOptions): Promise<TrialResult[]> {
  const poller = new ProxyPoller(d.proxies);
  const results: TrialResult[] = [];
  let next = 0;
  let done = 0;
  try {
    await Promise.all(
      Array.from({ length: Math.min(options.parallel, options.trials) }, async () => {
        while (next < options.trials) {
          const index = next++;
          const result = await trial(index, d, poller, options);
          results[index] = result;
          options.onResult?.(++done, result);
        }
      }),
    );
  } finally {
    await poller.stop();
  }
  return results;
}
