import { setTimeout as sleep } from 'node:timers/promises';
import type { ControlApi, WriteKind } from './control-api.js';
import { nowUs } from './watcher.js';
import type { WatcherPool } from './watcher-pool.js';

/** One write, in ms from just before it was sent. */
export interface WriteSample {
  readonly kind: WriteKind;
  /** The write's HTTP reply. */
  readonly replyMs: number;
  /** The last watcher to read the new snapshot (NaN without watchers). */
  readonly receivedMs: number;
  /** The last proxy, real or watcher, whose ack the control plane had recorded. */
  readonly ackedMs: number;
  /** GET /v1/status calls it took to see every real proxy's ack. */
  readonly statusPolls: number;
}

interface StatusView {
  readonly version: number;
  readonly proxies: ReadonlyArray<{ id: string; connected: boolean; applied: number; lastRejection?: { version: number; reason: string } }>;
}

/** Between status polls: a call costs the control plane about a millisecond of CPU, and back to back they would crowd out the acks being timed. */
const POLL_GAP_MS = 2;

/** No write should take this long to reach every proxy; past it the bench stops and says which proxy is missing. */
const WRITE_TIMEOUT_MS = 30_000;

/**
 * Times writes from the moment they are sent to the acknowledgement of
 * every proxy. The bench is the only writer and each write is one store
 * revision, so the version to wait for is the previous one plus one.
 *
 * Watchers say when the control plane answered each of their acks (it has
 * recorded the ack by then), on the host's monotonic clock. The real
 * proxies' acks are read where the control plane records them, in GET
 * /v1/status, polled every 2 ms, and only once every watcher has acked, so
 * the polling never competes with the watchers' acks: their figure is late
 * by at most one status call and the gap (the call is measured separately).
 */
export class WriteTimer {
  constructor(
    private readonly api: ControlApi,
    private readonly realIds: readonly string[],
    private version: number,
  ) {}

  get expectedVersion(): number {
    return this.version;
  }

  async time(kind: WriteKind, write: () => Promise<unknown>, watchers: WatcherPool | undefined): Promise<WriteSample> {
    const startUs = nowUs();
    await write();
    const replyUs = nowUs();
    const version = ++this.version;
    const acks = watchers ? await watchers.waitAll(version, WRITE_TIMEOUT_MS) : { received: [], acked: [] };
    const { atUs, polls } = await this.realAcked(version);
    const ms = (us: number) => (us - startUs) / 1000;
    return {
      kind,
      replyMs: ms(replyUs),
      receivedMs: acks.received.length ? ms(Math.max(...acks.received)) : Number.NaN,
      ackedMs: ms(Math.max(atUs, ...acks.acked)),
      statusPolls: polls,
    };
  }

  /** Polls status until every real proxy acknowledged `version`; a rejection stops the bench with its reason. */
  private async realAcked(version: number): Promise<{ atUs: number; polls: number }> {
    const deadline = Date.now() + WRITE_TIMEOUT_MS;
    for (let polls = 1; ; polls++) {
      const status = await this.api.call<StatusView>('GET', '/v1/status');
      const atUs = nowUs();
      const real = status.proxies.filter((p) => this.realIds.includes(p.id));
      const rejected = real.find((p) => p.lastRejection?.version === version);
      if (rejected) throw new Error(`proxy ${rejected.id} refused version ${version}: ${rejected.lastRejection!.reason}`);
      if (real.length === this.realIds.length && real.every((p) => p.connected && p.applied >= version)) return { atUs, polls };
      if (Date.now() > deadline) {
        const missing = this.realIds.filter((id) => !real.some((p) => p.id === id && p.connected && p.applied >= version));
        throw new Error(`proxies ${missing.join(', ')} had not acknowledged version ${version} after ${WRITE_TIMEOUT_MS} ms`);
      }
      await sleep(POLL_GAP_MS);
    }
  }
}
