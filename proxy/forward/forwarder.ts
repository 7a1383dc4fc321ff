import type { Outcome } from '../core/outcome.js';
import type { Call } from '../http/call.js';

import type { ForwarderKind } from '../config/mesh-schema.js';

export { FORWARDER_KINDS, type ForwarderKind } from '../config/mesh-schema.js';

/**
 * The transport port of the proxy core: the innermost layer, which sends
 * one attempt to one instance. Every implementation keeps the same
 * contract (test/proxy/forward/contract.ts runs it against each):
 *
 * - It sends `call.attempt` to `call.attempt.endpoint`, with the request's
 *   method, its origin-form target, the headers minus hop-by-hop ones plus
 *   the forwarding and trace headers, and the body: the request streamed
 *   when the call keeps no replay (`call.body` undefined or streaming), the
 *   buffered copy when it does, so a retry sends the same bytes again.
 * - It settles once, with the response head (the body streams after, never
 *   buffered) or a typed ProxyError: UPSTREAM_CONNECT_FAILED when no
 *   connection was made, UPSTREAM_RESET when it broke before the head.
 * - It sets `attempt.cancel`, and honours `attempt.abandoned`: an abandoned
 *   attempt's upstream request is cut, and a late response to it is freed,
 *   never handed to a later attempt.
 * - An upstream that breaks mid-body errors the response body stream;
 *   destroying the body frees the upstream connection.
 */
export interface Forwarder {
  readonly kind: ForwarderKind;
  forward(call: Call): Promise<Outcome>;
  /** Ends its connections; in-flight attempts fail. */
  close(): Promise<void>;
}

/**
 * Settles an attempt's promise once. A late response after the attempt was
 * given up (a per-try timeout, the client leaving) is destroyed, freeing
 * its connection, and a late error is dropped.
 */
export function settleOnce(resolve: (outcome: Outcome) => void): (outcome: Outcome) => void {
  let settled = false;
  return (outcome) => {
    if (settled) {
      if (outcome.kind === 'response') outcome.response.body.destroy();
      return;
    }
    settled = true;
    resolve(outcome);
  };
}

/**
 * The forwarder each call goes through: its service's `forwarder:` when the
 * mesh names one, else the proxy's own (--forwarder). Both are built at
 * start, so a mesh change that names the other one needs no restart.
 */
export function selectForwarder(byKind: Readonly<Record<ForwarderKind, Forwarder>>, proxyDefault: ForwarderKind): Forwarder['forward'] {
  const fallback = byKind[proxyDefault];
  return (call) => {
    // A `tls: mutual` service names undici here even when its mesh entry does not (routing/mesh-table.ts).
    const named = call.service!.forwarder;
    return named === undefined || named === proxyDefault ? fallback.forward(call) : byKind[named].forward(call);
  };
}
