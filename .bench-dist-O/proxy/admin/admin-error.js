import { FaultStoreError } from '../faults/fault-store.js';
/** A refused admin request: status, stable code, message, and for bad input every field error. */
export class AdminError extends Error {
    code;
    status;
    extra;
    name = 'AdminError';
    constructor(code, status, message, extra = {}) {
        super(message);
        this.code = code;
        this.status = status;
        this.extra = extra;
    }
}
/**
 * The one place an admin error becomes a response: JSON `{code, message,
 * errors?}`. Mounted last, so routes and guards only throw.
 */
export const sendAdminError = (err, _req, res, _next) => {
    const e = toAdminError(err);
    if (e.extra.headers)
        res.set(e.extra.headers);
    res.status(e.status).json({ code: e.code, message: e.message, ...(e.extra.errors ? { errors: e.extra.errors } : {}) });
};
function toAdminError(err) {
    if (err instanceof AdminError)
        return err;
    if (err instanceof FaultStoreError)
        return new AdminError(err.code, err.code === 'FAULT_NOT_FOUND' ? 404 : 409, err.message);
    // express.json's errors carry a `type` and a 4xx `status`.
    const e = err;
    if (e.type === 'entity.parse.failed')
        return new AdminError('BAD_JSON', 400, 'the body is not valid JSON');
    if (e.type === 'entity.too.large')
        return new AdminError('BODY_TOO_LARGE', 413, 'the body is larger than the admin API accepts (1 MB)');
    if (typeof e.status === 'number' && e.status >= 400 && e.status < 500)
        return new AdminError('BAD_REQUEST', e.status, String(e.message ?? 'bad request'));
    return new AdminError('ADMIN_INTERNAL', 500, String(e.message ?? err));
}
//# sourceMappingURL=admin-error.js.map