import { servesListen } from '../input/address.js';
import { inListOrder, viewOfToxic, type ProxyView, type ToxicState } from '../model.js';
import { TcpProxy, TcpProxyError, type Random, type TcpProxyStats } from '../tcp/index.js';
import { ToxiproxyError } from '../toxiproxy-error.js';

/**
 * The TCP side of a proxy, shared by both registries: the local one, which
 * changes a listener when the API asks, and the control-plane one, which
 * makes its listeners match the set the control plane holds. Both go
 * through these few steps, so a proxy is started, moved and stopped alike.
 */

/** What /metrics reads of one proxy. */
export interface ProxyStats {
  readonly name: string;
  readonly enabled: boolean;
  readonly toxics: readonly ToxicState[];
  readonly traffic: TcpProxyStats;
  /** Why this process cannot listen for a proxy it should serve (control-plane registry only). */
  readonly listenError?: string | undefined;
}

/** Where a proxy should be: its addresses as written (port 0: any), and whether it listens. */
export interface ListenerWanted {
  /** Absent: stays where it is. */
  readonly listen?: string | undefined;
  readonly upstream?: string | undefined;
  readonly enabled: boolean;
}

/** A stopped TCP proxy for `proxy`, with its toxics set. */
export function newListener(proxy: { readonly name: string; readonly listen: string; readonly upstream: string }, toxics: readonly ToxicState[], random?: Random): TcpProxy {
  const tcp = new TcpProxy({ name: proxy.name, listen: proxy.listen, upstream: proxy.upstream, ...(random ? { random } : {}) });
  setChain(tcp, toxics);
  return tcp;
}

/** Sets a proxy's toxics, in Toxiproxy's chain order, on its open connections too. */
export const setChain = (tcp: TcpProxy, toxics: readonly ToxicState[]): void => tcp.setToxics(inListOrder(toxics).map((t) => t.spec));

/** Listens, unless listening already; Toxiproxy answers a listen that fails with 500 and the system's message. */
export async function startListener(tcp: TcpProxy): Promise<void> {
  try {
    await tcp.start();
  } catch (err) {
    throw err instanceof TcpProxyError ? new ToxiproxyError('LISTEN_FAILED', 500, err.message, ['listen']) : err;
  }
}

/**
 * Moves a proxy to where it is wanted. Toxiproxy restarts a proxy whose
 * listen or upstream changes, so its open connections close; a listen with
 * port 0 is served by the port the proxy has. Throws LISTEN_FAILED (500)
 * when it should listen and cannot; it is then stopped, at the new address.
 */
export async function converge(tcp: TcpProxy, wanted: ListenerWanted): Promise<void> {
  const moved = wanted.listen !== undefined && !servesListen(tcp.listenAddress, wanted.listen);
  if (moved || (wanted.upstream !== undefined && wanted.upstream !== tcp.upstream)) {
    await tcp.stop();
    if (moved) tcp.setListen(wanted.listen!);
    if (wanted.upstream !== undefined) tcp.setUpstream(wanted.upstream);
  }
  await (wanted.enabled ? startListener(tcp) : tcp.stop());
}

/** A proxy as the API shows it: `listen` is the address bound, once it has been. */
export function viewOfListener(name: string, tcp: TcpProxy, toxics: readonly ToxicState[], enabled = tcp.running): ProxyView {
  return { name, listen: tcp.listenAddress, upstream: tcp.upstream, enabled, toxics: inListOrder(toxics).map(viewOfToxic) };
}
