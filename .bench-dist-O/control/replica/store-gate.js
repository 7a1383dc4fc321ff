import { ControlError } from '../api/control-error.js';
/**
 * While this replica cannot reach its store: every write and every new
 * proxy stream or channel is refused at once with 503, naming the reason,
 * instead of hanging until the store's deadline. Proxies and clients then
 * try another replica; reads are still answered from the last state seen.
 */
export function storeGate(health, where) {
    return (req, _res, next) => {
        const state = health.state;
        if (state.ok)
            return next();
        const opensStream = req.path === '/v1/stream' || req.path.endsWith('/channel');
        if ((req.method === 'GET' || req.method === 'HEAD') && !opensStream)
            return next();
        next(new ControlError('STORE_UNAVAILABLE', 503, `this control-plane replica cannot reach its store (${where}) since ${new Date(state.since).toISOString()}: ${state.error}; nothing was changed: use another replica`));
    };
}
//# sourceMappingURL=store-gate.js.map