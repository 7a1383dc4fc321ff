import { upstreamTimeout } from '../errors.js';
import type { Layer, Outcome } from '../http/call.js';

/**
 * Bounds the wait for the upstream's response headers. A streaming body that
 * has started is not cut: the timeout is about an instance that does not answer.
 */
export const timeout =
  (ms: number): Layer =>
  (next) =>
  (call) =>
    new Promise<Outcome>((resolve, reject) => {
      const timer = setTimeout(() => {
        // A hang fault promises no answer at all; the client's own timeout ends it.
        if (call.fault?.kinds.includes('hang')) return;
        // Resolve here rather than through the forwarder, so the timeout also
        // ends waits that are not on the socket; then settle and cancel the
        // upstream request, whose late error is ignored.
        const outcome: Outcome = { kind: 'error', error: upstreamTimeout(call.endpoint?.id ?? '?', ms) };
        resolve(outcome);
        call.settle?.(outcome);
        call.upstream?.destroy();
      }, ms);
      next(call).then(
        (outcome) => {
          clearTimeout(timer);
          resolve(outcome);
        },
        (err: unknown) => {
          clearTimeout(timer);
          reject(err);
        },
      );
    });
