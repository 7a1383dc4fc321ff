import { HeldBytes } from './held-bytes.js';
import type { ToxicPort, ToxicRun } from './toxic-kind.js';

/**
 * What the toxics that hold bytes behind one timer (bandwidth, latency,
 * slicer) share: the queue, the timer, and the end passed on only once the
 * sender ended and nothing is held or timed. Each toxic keeps its own
 * pacing (when to forward); this keeps the rest of its ToxicRun.
 */
export class HeldRun<T = undefined> {
  readonly queue = new HeldBytes<T>();
  /** The one pending timer, or undefined. */
  timer: unknown;
  private ended = false;
  private endSent = false;

  constructor(private readonly port: ToxicPort) {}

  /** Clears the pending timer, if any. */
  readonly stop = (): void => {
    if (this.timer !== undefined) this.port.timers.clearTimeout(this.timer);
    this.timer = undefined;
  };

  /** Passes the end on once the sender ended and nothing is held or waiting on a timer. */
  readonly endIfDone = (): void => {
    if (this.ended && !this.endSent && this.queue.empty && this.timer === undefined) {
      this.endSent = true;
      this.port.end();
    }
  };

  /** The toxic's run: its own `write` and `update`, with end, held, release and dispose as every held-bytes toxic has them. */
  run(own: Pick<ToxicRun, 'write' | 'update'>): ToxicRun {
    return {
      ...own,
      end: () => {
        this.ended = true;
        this.endIfDone();
      },
      held: () => this.queue.bytes,
      release: () => {
        this.stop();
        this.queue.drain(this.port.forward);
        this.endIfDone();
      },
      dispose: this.stop,
    };
  }
}
