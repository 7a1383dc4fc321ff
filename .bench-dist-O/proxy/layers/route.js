import { routeDenied } from '../errors.js';
/** Applies the service's routes: first match wins; deny answers here, forward picks a split. */
export const route = (next) => (call) => {
    const service = call.service;
    const decision = service.decide(call);
    call.route = decision.route;
    if (decision.action.kind === 'deny') {
        return Promise.resolve({ kind: 'error', error: routeDenied(service.name, decision.action.status, decision.route ?? -1) });
    }
    call.split = decision.action.split;
    return next(call);
};
//# sourceMappingURL=route.js.map