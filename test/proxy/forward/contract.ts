import type { ForwarderKind } from '../../../proxy/forward/forwarder.js';
import { bodiesContract } from './contract-bodies.js';
import { breaksContract } from './contract-breaks.js';
import { headersContract } from './contract-headers.js';
import { retriesContract } from './contract-retries.js';

/**
 * The contract every Forwarder keeps (proxy/forward/forwarder.ts), run
 * through a real proxy started with `kind` against upstreams the tests
 * steer. A forwarder is correct when it passes all of it; a new one gets
 * a `<kind>.test.ts` of one line.
 *
 * @example forwarderContract('undici');
 */
export function forwarderContract(kind: ForwarderKind): void {
  bodiesContract(kind);
  headersContract(kind);
  breaksContract(kind);
  retriesContract(kind);
}
