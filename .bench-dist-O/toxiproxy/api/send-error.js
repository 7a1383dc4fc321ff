import { AdminError } from '../../proxy/admin/admin-error.js';
import { PopulateError } from '../registry/registry.js';
import { errorBody, ToxiproxyError } from '../toxiproxy-error.js';
/**
 * The one place an error becomes a response, in Toxiproxy's shape:
 * `{"error": "...", "status": 409}` with that status; a /populate that failed
 * part way adds the proxies it had done (api.go Populate). Mounted last, so
 * routes and guards only throw.
 */
export const sendToxiproxyError = (err, _req, res, _next) => {
    const e = toToxiproxyError(err instanceof PopulateError ? err.error : err);
    res.set(e.headers);
    res.status(e.status).json(err instanceof PopulateError ? { ...errorBody(e), proxies: err.proxies } : errorBody(e));
};
/** Any error as a ToxiproxyError: the access guards' and the body reader's keep their status; the rest is a 500 with its message, as Toxiproxy's apiError does. */
export function toToxiproxyError(err) {
    if (err instanceof ToxiproxyError)
        return err;
    if (err instanceof AdminError) {
        return new ToxiproxyError(err.status === 401 ? 'UNAUTHORIZED' : err.status === 403 ? 'FORBIDDEN' : 'INTERNAL', err.status, err.message, [], err.extra.headers ?? {});
    }
    // The body reader's errors carry a `type` and a 4xx `status`.
    const e = err;
    if (e.type === 'entity.too.large')
        return new ToxiproxyError('BAD_REQUEST_BODY', 413, 'bad request body: larger than the 1 MB this server reads');
    if (typeof e.status === 'number' && e.status >= 400 && e.status < 500)
        return new ToxiproxyError('BAD_REQUEST_BODY', e.status, `bad request body: ${String(e.message ?? 'unreadable')}`);
    return new ToxiproxyError('INTERNAL', 500, String(e.message ?? err));
}
//# sourceMappingURL=send-error.js.map