import { setTimer } from '../config/duration.js';
import { requestTimeout, upstreamTimeout, type ProxyError } from '../errors.js';
import type { Outcome } from '../core/outcome.js';
import type { Call, Handler, Layer } from '../http/call.js';

/**
 * The whole call's timeout, retries and back-off included: the service's
 * `policy.timeout`, or the proxy's --timeout. When it fires the caller gets
 * a 504 at once, the attempt in flight is abandoned and no retry follows.
 * A streaming body that has started is not cut: the timeout is about an
 * upstream that does not answer.
 */
export const timeout =
  (defaultMs: number): Layer =>
  (next) =>
  (call) => {
    const ms = call.service!.policy.timeout ?? defaultMs;
    call.deadline = performance.now() + ms;
    return race(call, ms, next, () => requestTimeout(ms, call.retries + 1, call.endpoint?.id), (outcome) => {
      call.timedOut = true;
      call.attempt?.abandon(outcome);
    });
  };

/** One attempt's timeout (`retries.perTryTimeout`); when it fires, the retry layer may try again. */
export const perTryTimeout: Layer = (next) => (call) => {
  const ms = call.service!.policy.retries.perTryTimeout;
  if (ms === undefined) return next(call);
  const attempt = call.attempt;
  return race(call, ms, next, () => upstreamTimeout(attempt?.endpoint.id ?? '?', ms), (outcome) => attempt?.abandon(outcome));
};

function race(call: Call, ms: number, next: Handler, error: () => ProxyError, onFire: (outcome: Outcome) => void): Promise<Outcome> {
  return new Promise<Outcome>((resolve, reject) => {
    let fired = false;
    const timer = setTimer(() => {
      // A hang fault promises no answer at all; the client's own timeout ends it.
      if (call.fault?.kinds.includes('hang')) return;
      // Resolve here rather than through the forwarder, so the timeout also
      // ends waits that are not on the socket (a delay fault, a back-off).
      fired = true;
      const outcome: Outcome = { kind: 'error', error: error() };
      resolve(outcome);
      onFire(outcome);
    }, ms);
    next(call).then(
      (outcome) => {
        clearTimeout(timer);
        // Too late: the caller has its 504; free the upstream's socket.
        if (fired && outcome.kind === 'response') outcome.response.body.destroy();
        resolve(outcome);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err);
      },
    );
  });
}
