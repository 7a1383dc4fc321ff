import { requestTimeout, upstreamTimeout, type ProxyError } from '../errors.js';
import type { Outcome } from '../core/outcome.js';
import { CallDeadlines } from '../http/call-deadlines.js';
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
    const deadlines = (call.deadlines = new CallDeadlines());
    return race(call, next, {
      set: (fire) => deadlines.setOverall(call.deadline, fire),
      armed: () => deadlines.arm(),
      done: () => deadlines.clear(),
      error: () => requestTimeout(ms, call.retries + 1, call.endpoint?.id),
      onFire: (outcome) => {
        call.timedOut = true;
        call.attempt?.abandon(outcome);
      },
    });
  };

/** One attempt's timeout (`retries.perTryTimeout`); when it fires, the retry layer may try again. */
export const perTryTimeout: Layer = (next) => (call) => {
  const ms = call.service!.policy.retries.perTryTimeout;
  if (ms === undefined) return next(call);
  const attempt = call.attempt;
  // Inside the overall timeout, which made the call's timer (a stack without one gets its own).
  const deadlines = call.deadlines ?? (call.deadlines = new CallDeadlines());
  return race(call, next, {
    set: (fire) => deadlines.setAttempt(performance.now() + ms, fire),
    armed: () => {},
    done: () => deadlines.clearAttempt(),
    error: () => upstreamTimeout(attempt?.endpoint.id ?? '?', ms),
    onFire: (outcome) => attempt?.abandon(outcome),
  });
};

interface Deadline {
  /** Sets the deadline with what to do when it passes. */
  set(fire: () => void): void;
  /** After the layers inside have started (and maybe set an earlier deadline). */
  armed(): void;
  /** The wrapped layers answered. */
  done(): void;
  error(): ProxyError;
  onFire(outcome: Outcome): void;
}

function race(call: Call, next: Handler, deadline: Deadline): Promise<Outcome> {
  return new Promise<Outcome>((resolve, reject) => {
    let fired = false;
    deadline.set(() => {
      // A hang fault promises no answer at all; the client's own timeout ends it.
      if (call.fault?.kinds.includes('hang')) return;
      // Resolve here rather than through the forwarder, so the timeout also
      // ends waits that are not on the socket (a delay fault, a back-off).
      fired = true;
      const outcome: Outcome = { kind: 'error', error: deadline.error() };
      resolve(outcome);
      deadline.onFire(outcome);
    });
    next(call).then(
      (outcome) => {
        deadline.done();
        // Too late: the caller has its 504; free the upstream's socket.
        if (fired && outcome.kind === 'response') outcome.response.body.destroy();
        resolve(outcome);
      },
      (err: unknown) => {
        deadline.done();
        reject(err);
      },
    );
    deadline.armed();
  });
}
