import { missingHost, notReady, unknownService } from '../errors.js';
/** Looks the destination up in the mesh table that is current when the request arrives. */
export const resolveService = (table) => (next) => (call) => {
    if (call.destination === '')
        return Promise.resolve({ kind: 'error', error: missingHost() });
    const current = table();
    const service = current.services.get(call.destination);
    if (!service)
        return Promise.resolve({ kind: 'error', error: current.notReady === undefined ? unknownService(call.destination) : notReady(current.notReady) });
    call.service = service;
    return next(call);
};
//# sourceMappingURL=resolve-service.js.map