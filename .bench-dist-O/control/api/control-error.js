import { sendAdminError } from '../../proxy/admin/admin-error.js';
import { StoreError } from '../store/store.js';
/** A refused control-plane request that the admin API has no code for. */
export class ControlError extends Error {
    code;
    status;
    errors;
    name = 'ControlError';
    constructor(code, status, message, errors) {
        super(message);
        this.code = code;
        this.status = status;
        this.errors = errors;
    }
}
const STORE_STATUS = {
    CONFLICT: { status: 409, code: 'CONFLICT' },
    LEASE_NOT_FOUND: { status: 404, code: 'LEASE_NOT_FOUND' },
    // A watch that fell too far behind is the server's trouble, not the caller's.
    COMPACTED: { status: 503, code: 'STORE_UNAVAILABLE' },
    UNAVAILABLE: { status: 503, code: 'STORE_UNAVAILABLE' },
};
/**
 * The one place a control-plane error becomes a response, `{code, message,
 * errors?}` like the admin API's: control errors and store errors here,
 * everything else (guards, bodies, fault store codes) through sendAdminError.
 */
export const sendControlError = (err, req, res, next) => {
    if (res.headersSent) {
        res.end();
        return;
    }
    if (err instanceof ControlError) {
        res.status(err.status).json({ code: err.code, message: err.message, ...(err.errors ? { errors: err.errors } : {}) });
        return;
    }
    if (err instanceof StoreError) {
        const { status, code } = STORE_STATUS[err.code];
        res.status(status).json({ code, message: err.message });
        return;
    }
    sendAdminError(err, req, res, next);
};
//# sourceMappingURL=control-error.js.map