import express from 'express';
import { changesState } from './admin-access.js';
import { AdminError } from './admin-error.js';
const carriesBody = (headers) => headers['transfer-encoding'] !== undefined || Number(headers['content-length'] ?? 0) > 0;
/**
 * Parses JSON bodies, and refuses a state change whose body is anything but
 * `application/json`: a web page can send `text/plain` to any address without
 * asking first, but not JSON. A state change without a body needs no type.
 */
export function jsonBodies(limit = '1mb') {
    const parse = express.json({ limit });
    return (req, res, next) => {
        if (changesState(req.method) && carriesBody(req.headers) && !req.is('application/json')) {
            return next(new AdminError('NOT_JSON', 415, `a state change with a body needs content-type: application/json (got ${JSON.stringify(req.headers['content-type'] ?? 'none')})`));
        }
        parse(req, res, next);
    };
}
//# sourceMappingURL=json-body.js.map