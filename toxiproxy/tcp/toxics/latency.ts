import type { ToxicKind } from './toxic-kind.js';
import { HeldBytes } from './held-bytes.js';

/**
 * Delays every chunk by `latency` ± `jitter` ms from when it reached the
 * toxic. Chunks stay in order: one drawn shorter than the one before waits
 * for it (Toxiproxy's single goroutine does the same). Many chunks are in
 * flight at once, so a long latency does not cap the throughput.
 */
export const latencyToxic: ToxicKind = {
  type: 'latency',
  attributes: { latency: { unit: 'ms' }, jitter: { unit: 'ms' } },
  start(attributes, port) {
    let { latency = 0, jitter = 0 } = attributes;
    const queue = new HeldBytes<number>();
    let timer: unknown;
    let lastDue = -Infinity;
    let ended = false;
    let endSent = false;

    // Toxiproxy's rand.Int63n(2*jitter) - jitter: a whole ms in [-jitter, jitter).
    const draw = () => latency + (jitter > 0 ? Math.floor(port.random() * 2 * jitter) - jitter : 0);
    const stop = () => {
      if (timer !== undefined) port.timers.clearTimeout(timer);
      timer = undefined;
    };
    const endIfDone = () => {
      if (ended && !endSent && queue.empty) {
        endSent = true;
        port.end();
      }
    };
    const schedule = () => {
      const next = queue.peek();
      if (timer !== undefined || !next) return;
      timer = port.timers.setTimeout(deliver, Math.max(0, next.tag - port.timers.now()));
    };
    const deliver = () => {
      timer = undefined;
      // The timer was set for the head's time: trust it over a millisecond clock that may read 1 ms short.
      port.forward(queue.shift()!);
      const now = port.timers.now();
      for (let next = queue.peek(); next && next.tag <= now; next = queue.peek()) port.forward(queue.shift()!);
      endIfDone();
      schedule();
    };

    return {
      write(chunk) {
        lastDue = Math.max(port.timers.now() + draw(), lastDue);
        queue.push(chunk, lastDue);
        schedule();
      },
      end() {
        ended = true;
        endIfDone();
      },
      held: () => queue.bytes,
      update(next) {
        ({ latency = 0, jitter = 0 } = next);
      },
      release() {
        stop();
        queue.drain(port.forward);
        endIfDone();
      },
      dispose: stop,
    };
  },
};
