const READS_COUNTS = /^\/(healthz|v1\/faults(\/[^/]+)?)\/?$/;
const WRITES = new Set(['POST', 'PUT', 'DELETE', 'PATCH']);
/**
 * The admin API of a cluster primary, around the same express app a single
 * proxy serves (so the same Host, Origin and token guards answer first):
 * - a write that succeeded is answered only once every live worker applied
 *   it, or with 503 WORKERS_NOT_APPLIED naming the worker that did not;
 * - GET /healthz and GET /v1/faults[/:id] first gather the workers' counts,
 *   so each rule's matched/hit counts are the sums over the workers.
 * The route handlers stay as they are: the answer they write is held at
 * `end`, before anything is sent.
 */
export function clusterAdmin(admin, deps) {
    return (req, res) => {
        if (WRITES.has(req.method ?? ''))
            holdUntilApplied(res, deps.confirm);
        if (req.method === 'GET' && READS_COUNTS.test(new URL(req.url ?? '/', 'http://admin').pathname)) {
            void deps.refresh().finally(() => admin(req, res));
            return;
        }
        admin(req, res);
    };
}
function holdUntilApplied(res, confirm) {
    const end = res.end;
    res.end = function (...args) {
        res.end = end;
        // A refused request changed nothing: nothing to wait for.
        if (res.statusCode >= 400)
            return end.apply(res, args);
        void confirm().then((reason) => (reason === undefined ? end.apply(res, args) : refuse(res, end, reason)), (err) => refuse(res, end, String(err)));
        return res;
    };
}
function refuse(res, end, reason) {
    res.statusCode = 503;
    res.removeHeader('content-length');
    res.removeHeader('etag');
    res.setHeader('content-type', 'application/json; charset=utf-8');
    return end.call(res, JSON.stringify({ code: 'WORKERS_NOT_APPLIED', message: reason }));
}
//# sourceMappingURL=cluster-admin.js.map