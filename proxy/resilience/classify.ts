import type { Outcome } from '../core/outcome.js';

/**
 * What one attempt amounted to, decided once, right after it ends; retries,
 * outlier detection and metrics all read this value instead of looking at
 * statuses and error codes each in their own way.
 *
 * - success: the instance answered below 500 (a 404 is the service working).
 * - failure: a 5xx answer, the instance's own or an injected abort.
 * - timeout: no answer in time (per-try or overall).
 * - reset: the connection failed; `connect` when it never opened, so the
 *   request certainly did not reach the service.
 * - cancelled: the attempt ended for reasons that say nothing of the
 *   instance (the client left); never retried, never held against it.
 * - local: the proxy answered before any instance was involved.
 */
export type Classification =
  | { readonly kind: 'success'; readonly status: number }
  | { readonly kind: 'failure'; readonly status: number }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'reset'; readonly connect: boolean }
  | { readonly kind: 'cancelled' }
  | { readonly kind: 'local' };

const TIMEOUT: Classification = { kind: 'timeout' };
const RESET: Classification = { kind: 'reset', connect: false };
const CONNECT_FAILED: Classification = { kind: 'reset', connect: true };
const CANCELLED: Classification = { kind: 'cancelled' };
const LOCAL: Classification = { kind: 'local' };

export function classify(outcome: Outcome): Classification {
  switch (outcome.kind) {
    case 'response': {
      const status = outcome.response.statusCode;
      return status >= 500 ? { kind: 'failure', status } : { kind: 'success', status };
    }
    case 'drop':
      // The client left, or an attempt was given up while a fault held it.
      return outcome.reason === 'CLIENT_ABORTED' || outcome.reason.startsWith('ABANDONED') ? CANCELLED : RESET;
    case 'error':
      switch (outcome.error.code) {
        case 'UPSTREAM_TIMEOUT':
          return TIMEOUT;
        case 'UPSTREAM_RESET':
          return RESET;
        case 'UPSTREAM_CONNECT_FAILED':
          return CONNECT_FAILED;
        // The instance's TLS was wrong (another service's certificate, an untrusted or expired one): a failed
        // answer of that instance, so outlier detection ejects it, but not a transient connect failure that
        // the default retryOn (connect-failure) would try again and again.
        case 'UPSTREAM_IDENTITY':
        case 'UPSTREAM_TLS':
        case 'FAULT_ABORT': {
          const status = outcome.error.status;
          return status >= 500 ? { kind: 'failure', status } : { kind: 'success', status };
        }
        default:
          return LOCAL;
      }
  }
}

/** A 5xx in Envoy's sense: failed answers, timeouts and broken connections. */
export function is5xx(c: Classification): boolean {
  return c.kind === 'failure' || c.kind === 'timeout' || c.kind === 'reset';
}

/** A gateway error: 502, 503 or 504, a timeout, or a broken connection. */
export function isGatewayError(c: Classification): boolean {
  if (c.kind === 'failure') return c.status >= 502 && c.status <= 504;
  return c.kind === 'timeout' || c.kind === 'reset';
}

/** The status the attempt carried, if it got one. */
export function statusOf(c: Classification): number | undefined {
  return c.kind === 'success' || c.kind === 'failure' ? c.status : undefined;
}
