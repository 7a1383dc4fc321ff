import { noInstance } from '../errors.js';
import type { Layer } from '../http/call.js';

/**
 * Picks the instance for this attempt and keeps its in-flight count while the
 * upstream works on it (until the response body ends), which least-request reads.
 */
export const balance: Layer = (next) => async (call) => {
  const endpoint = call.split!.pick();
  if (!endpoint) return { kind: 'error', error: noInstance(call.destination, call.route === undefined ? '' : `route ${call.route}`) };
  call.endpoint = endpoint;
  const load = endpoint.load;
  load.active++;
  load.requests++;
  const outcome = await next(call);
  if (outcome.kind === 'response') {
    if ((outcome.response.statusCode ?? 0) >= 500) load.failures++;
    outcome.response.once('close', () => load.active--);
  } else {
    // Errors and dropped connections, injected or real, count alike.
    load.active--;
    load.failures++;
  }
  return outcome;
};
