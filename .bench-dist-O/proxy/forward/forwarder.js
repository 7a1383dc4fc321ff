export { FORWARDER_KINDS } from '../config/mesh-schema.js';
/**
 * Settles an attempt's promise once. A late response after the attempt was
 * given up (a per-try timeout, the client leaving) is destroyed, freeing
 * its connection, and a late error is dropped.
 */
export function settleOnce(resolve) {
    let settled = false;
    return (outcome) => {
        if (settled) {
            if (outcome.kind === 'response')
                outcome.response.body.destroy();
            return;
        }
        settled = true;
        resolve(outcome);
    };
}
/**
 * The forwarder each call goes through: its service's `forwarder:` when the
 * mesh names one, else the proxy's own (--forwarder). Both are built at
 * start, so a mesh change that names the other one needs no restart.
 */
export function selectForwarder(byKind, proxyDefault) {
    const fallback = byKind[proxyDefault];
    return (call) => {
        // A `tls: mutual` service names undici here even when its mesh entry does not (routing/mesh-table.ts).
        const named = call.service.forwarder;
        return named === undefined || named === proxyDefault ? fallback.forward(call) : byKind[named].forward(call);
    };
}
//# sourceMappingURL=forwarder.js.map