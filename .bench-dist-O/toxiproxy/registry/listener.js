import { servesListen } from '../input/address.js';
import { inListOrder, viewOfToxic } from '../model.js';
import { TcpProxy, TcpProxyError } from '../tcp/index.js';
import { ToxiproxyError } from '../toxiproxy-error.js';
/** A stopped TCP proxy for `proxy`, with its toxics set. */
export function newListener(proxy, toxics, random) {
    const tcp = new TcpProxy({ name: proxy.name, listen: proxy.listen, upstream: proxy.upstream, ...(random ? { random } : {}) });
    setChain(tcp, toxics);
    return tcp;
}
/** Sets a proxy's toxics, in Toxiproxy's chain order, on its open connections too. */
export const setChain = (tcp, toxics) => tcp.setToxics(inListOrder(toxics).map((t) => t.spec));
/** Listens, unless listening already; Toxiproxy answers a listen that fails with 500 and the system's message. */
export async function startListener(tcp) {
    try {
        await tcp.start();
    }
    catch (err) {
        throw err instanceof TcpProxyError ? new ToxiproxyError('LISTEN_FAILED', 500, err.message, ['listen']) : err;
    }
}
/**
 * Moves a proxy to where it is wanted. Toxiproxy restarts a proxy whose
 * listen or upstream changes, so its open connections close; a listen with
 * port 0 is served by the port the proxy has. Throws LISTEN_FAILED (500)
 * when it should listen and cannot; it is then stopped, at the new address.
 */
export async function converge(tcp, wanted) {
    const moved = wanted.listen !== undefined && !servesListen(tcp.listenAddress, wanted.listen);
    if (moved || (wanted.upstream !== undefined && wanted.upstream !== tcp.upstream)) {
        await tcp.stop();
        if (moved)
            tcp.setListen(wanted.listen);
        if (wanted.upstream !== undefined)
            tcp.setUpstream(wanted.upstream);
    }
    await (wanted.enabled ? startListener(tcp) : tcp.stop());
}
/** A proxy as the API shows it: `listen` is the address bound, once it has been. */
export function viewOfListener(name, tcp, toxics, enabled = tcp.running) {
    return { name, listen: tcp.listenAddress, upstream: tcp.upstream, enabled, toxics: inListOrder(toxics).map(viewOfToxic) };
}
//# sourceMappingURL=listener.js.map