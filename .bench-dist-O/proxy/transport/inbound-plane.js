import { createUndiciForwarder } from '../forward/undici-forwarder.js';
import { formatHostPort } from '../config/listen-address.js';
import { createInboundServer } from './inbound-server.js';
/** Thrown when a proxy is started with an inbound listener it cannot run: the CLI refuses these flags first. */
export class InboundConfigError extends Error {
    code = 'INBOUND_CONFIG';
    name = 'InboundConfigError';
}
export function inboundPlaneOf(options, service, parts) {
    const listeners = options.inbound ?? [];
    if (listeners.length === 0)
        return undefined;
    if (!options.identity || !parts.identity)
        throw new InboundConfigError('an inbound listener needs an identity: --cert/--key/--ca or --control with a join token');
    if (service === undefined)
        throw new InboundConfigError("an inbound listener needs --service NAME (the service this sidecar's app is)");
    const { trustDomain } = options.identity;
    const identity = parts.identity;
    const forwarder = createUndiciForwarder();
    const limits = options.listenerLimits;
    const log = parts.log?.child({ direction: 'inbound' });
    const servers = listeners.map((inbound) => createInboundServer({
        options: inbound,
        service,
        identity,
        trustDomain,
        authorizer: () => parts.mesh.service(service)?.authorizer,
        metrics: parts.metrics,
        log,
        forwarder,
        timeoutMs: options.timeoutMs ?? 15_000,
        limits,
    }));
    return { servers, release: () => forwarder.close() };
}
/** Listens on every inbound listener, in order (`servers[i]` made from `options[i]`); the caller closes them all if one fails. */
export async function listenInbound(servers, options = []) {
    const listening = [];
    for (const [i, server] of servers.entries())
        listening.push({ options: options[i], at: await server.listen() });
    return listening;
}
/** What a running proxy tells of its inbound listeners (RunningProxy.inbound, the start line). */
export function inboundListeners(listening) {
    return listening.map(({ options, at }) => ({ instance: options.instance, url: `https://${formatHostPort(at.address, at.port)}`, app: formatHostPort(options.app.host, options.app.port) }));
}
//# sourceMappingURL=inbound-plane.js.map