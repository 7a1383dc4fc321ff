import type { Call } from '../http/call.js';

/**
 * Waits `ms`, or less if the call's response closes first (the client left,
 * or a timeout already answered it): a fault never outlives its request.
 */
export function sleepWhileOpen(ms: number, call: Call): Promise<void> {
  const res = call.res;
  if (res.destroyed || res.writableEnded) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      res.off('close', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    res.once('close', done);
  });
}
