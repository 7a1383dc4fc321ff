import { formatPath } from '../proxy/config/config-error.js';
/**
 * A refused request, as Toxiproxy's ApiError: a message and a status. `field`
 * is the path of the value at fault, so a --config file can place the same
 * error at its line; the API does not show it.
 */
export class ToxiproxyError extends Error {
    code;
    status;
    field;
    headers;
    name = 'ToxiproxyError';
    /** The problem alone, without Toxiproxy's prefix or the field: what a --config issue says at the field's line. */
    reason;
    constructor(code, status, message, field = [], headers = {}, reason) {
        super(message);
        this.code = code;
        this.status = status;
        this.field = field;
        this.headers = headers;
        this.reason = reason ?? message;
    }
}
/**
 * Toxiproxy's ErrBadRequestBody joined with what was wrong, as Go's decoder
 * errors are: `bad request body: attributes.latency: ...`.
 */
export function badRequestBody(reason, field = []) {
    const at = field.length ? `${formatPath(field)}: ` : '';
    return new ToxiproxyError('BAD_REQUEST_BODY', 400, `bad request body: ${at}${reason}`, field, {}, reason);
}
/** Toxiproxy's ErrMissingField joined with the field: `missing required field: upstream`. */
export const missingField = (what, field) => new ToxiproxyError('MISSING_FIELD', 400, `missing required field: ${what}`, field);
export const proxyNotFound = () => new ToxiproxyError('PROXY_NOT_FOUND', 404, 'proxy not found');
export const proxyExists = (field = []) => new ToxiproxyError('PROXY_EXISTS', 409, 'proxy already exists', field);
export const invalidStream = (field = []) => new ToxiproxyError('INVALID_STREAM', 400, 'stream was invalid, can be either upstream or downstream', field);
export const invalidToxicType = (field = []) => new ToxiproxyError('INVALID_TOXIC_TYPE', 400, 'invalid toxic type', field);
export const toxicExists = (field = []) => new ToxiproxyError('TOXIC_EXISTS', 409, 'toxic already exists', field);
export const toxicNotFound = () => new ToxiproxyError('TOXIC_NOT_FOUND', 404, 'toxic not found');
/** The body Toxiproxy answers every error with: `{"error": "...", "status": 409}`. */
export const errorBody = (e) => ({ error: e.message, status: e.status });
//# sourceMappingURL=toxiproxy-error.js.map