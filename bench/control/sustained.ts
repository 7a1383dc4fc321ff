import { benchMeshText, type ControlApi } from './control-api.js';
import { distribution, type Distribution } from './figures.js';
import { nowUs } from './watcher.js';
import type { WatcherPool } from './watcher-pool.js';
import type { WriteTimer } from './write-timer.js';

export interface SustainedOptions {
  /** One per replica: writer w writes through `apis[w % apis.length]`, so writes alternate between replicas. */
  readonly apis: readonly ControlApi[];
  readonly seconds: number;
  /** Writes in flight at once, over all replicas. */
  readonly concurrency: number;
  /** How long every proxy may take, after the writing stops, to have the last state; past it the phase says who had not. */
  readonly catchUpMs: number;
  /** A mesh text never applied before, for the closing write (benchMeshText's round). */
  readonly meshRound: number;
}

export interface SustainedFigures {
  readonly seconds: number;
  readonly concurrency: number;
  /** Writes answered 2xx, per second of writing. */
  readonly writesPerS: number;
  readonly accepted: number;
  /** Writes refused (any other answer) or failed, with the first reason. */
  readonly refused: number;
  readonly firstRefusal: string | undefined;
  /** Reply time of the accepted writes, ms. */
  readonly reply: Distribution;
  /** From the end of the writing to every proxy's ack of the closing write, ms; undefined when they had not caught up within catchUpMs. */
  readonly caughtUpMs: number | undefined;
  readonly behind: string | undefined;
}

/**
 * Updates per second sustained: `concurrency` writers add and remove
 * faults, each as fast as the control plane answers, for `seconds`. Then
 * one mesh apply, whose reply names its store revision, marks the end: the
 * proxies have caught up when every one has acked that revision or a later
 * one. Each fault has an id of its own, so no write waits on another's.
 */
export async function sustainedWrites(timer: WriteTimer, pool: WatcherPool | undefined, options: SustainedOptions): Promise<SustainedFigures> {
  const replies: number[] = [];
  let refused = 0;
  let firstRefusal: string | undefined;
  const endAt = performance.now() + options.seconds * 1000;
  const accept = async (call: () => Promise<unknown>): Promise<boolean> => {
    const t = performance.now();
    try {
      await call();
      replies.push(performance.now() - t);
      return true;
    } catch (err) {
      refused++;
      firstRefusal ??= (err as Error).message;
      return false;
    }
  };
  const writer = async (w: number) => {
    const api = options.apis[w % options.apis.length]!;
    for (let i = 0; performance.now() < endAt; i++) {
      const id = `sustain-${w}-${i}`;
      const added = await accept(() => api.call('POST', '/v1/faults', { id, target: 'bench', percentage: 1, abort: { status: 503 }, ttl: '10m' }, 201));
      // An add refused is not retried: a control plane that refuses writes is what this phase would show.
      if (added) await accept(() => api.call('DELETE', `/v1/faults/${id}`));
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: options.concurrency }, (_, w) => writer(w)));
  const writingS = (performance.now() - started) / 1000;
  const endUs = nowUs();
  const marker = await options.apis[0]!.call<{ version: number }>('PUT', '/v1/mesh', { text: benchMeshText(options.meshRound), file: 'bench-mesh.yaml' });
  let caughtUpMs: number | undefined;
  let behind: string | undefined;
  try {
    const acked = await timer.allAcked(marker.version, pool, options.catchUpMs);
    caughtUpMs = (acked.ackedUs - endUs) / 1000;
  } catch (err) {
    behind = (err as Error).message;
  }
  return {
    seconds: writingS,
    concurrency: options.concurrency,
    writesPerS: replies.length / writingS,
    accepted: replies.length,
    refused,
    firstRefusal,
    reply: distribution(replies),
    caughtUpMs,
    behind,
  };
}
