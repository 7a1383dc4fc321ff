import { formatPath } from '../proxy/config/config-error.js';

/**
 * Stable codes of what the Toxiproxy-compatible API refuses. The messages
 * and statuses are Toxiproxy's own (api.go), so a client that reads the
 * `error` text or the status sees what it sees against Toxiproxy.
 */
export type ToxiproxyErrorCode =
  | 'BAD_REQUEST_BODY'
  | 'MISSING_FIELD'
  | 'PROXY_NOT_FOUND'
  | 'PROXY_EXISTS'
  | 'INVALID_STREAM'
  | 'INVALID_TOXIC_TYPE'
  | 'TOXIC_EXISTS'
  | 'TOXIC_NOT_FOUND'
  | 'LISTEN_FAILED'
  | 'FORBIDDEN'
  | 'UNAUTHORIZED'
  | 'NOT_FOUND'
  | 'METHOD_NOT_ALLOWED'
  /** --control: the control plane cannot be reached, refused this server, or could not make the change now. */
  | 'UNAVAILABLE'
  | 'INTERNAL';

/**
 * A refused request, as Toxiproxy's ApiError: a message and a status. `field`
 * is the path of the value at fault, so a --config file can place the same
 * error at its line; the API does not show it.
 */
export class ToxiproxyError extends Error {
  override readonly name = 'ToxiproxyError';
  /** The problem alone, without Toxiproxy's prefix or the field: what a --config issue says at the field's line. */
  readonly reason: string;
  constructor(
    readonly code: ToxiproxyErrorCode,
    readonly status: number,
    message: string,
    readonly field: readonly PropertyKey[] = [],
    readonly headers: Readonly<Record<string, string>> = {},
    reason?: string,
  ) {
    super(message);
    this.reason = reason ?? message;
  }
}

/**
 * Toxiproxy's ErrBadRequestBody joined with what was wrong, as Go's decoder
 * errors are: `bad request body: attributes.latency: ...`.
 */
export function badRequestBody(reason: string, field: readonly PropertyKey[] = []): ToxiproxyError {
  const at = field.length ? `${formatPath(field)}: ` : '';
  return new ToxiproxyError('BAD_REQUEST_BODY', 400, `bad request body: ${at}${reason}`, field, {}, reason);
}

/** Toxiproxy's ErrMissingField joined with the field: `missing required field: upstream`. */
export const missingField = (what: string, field: readonly PropertyKey[]) => new ToxiproxyError('MISSING_FIELD', 400, `missing required field: ${what}`, field);

export const proxyNotFound = () => new ToxiproxyError('PROXY_NOT_FOUND', 404, 'proxy not found');
export const proxyExists = (field: readonly PropertyKey[] = []) => new ToxiproxyError('PROXY_EXISTS', 409, 'proxy already exists', field);
export const invalidStream = (field: readonly PropertyKey[] = []) => new ToxiproxyError('INVALID_STREAM', 400, 'stream was invalid, can be either upstream or downstream', field);
export const invalidToxicType = (field: readonly PropertyKey[] = []) => new ToxiproxyError('INVALID_TOXIC_TYPE', 400, 'invalid toxic type', field);
export const toxicExists = (field: readonly PropertyKey[] = []) => new ToxiproxyError('TOXIC_EXISTS', 409, 'toxic already exists', field);
export const toxicNotFound = () => new ToxiproxyError('TOXIC_NOT_FOUND', 404, 'toxic not found');

/** The body Toxiproxy answers every error with: `{"error": "...", "status": 409}`. */
export const errorBody = (e: ToxiproxyError) => ({ error: e.message, status: e.status });
