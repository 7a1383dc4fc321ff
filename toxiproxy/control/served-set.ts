import { realTimers, type Timers } from '../../proxy/core/timers.js';
import { servesListen } from '../input/address.js';
import { inListOrder, type ProxyView, type ToxicView } from '../model.js';
import { converge, newListener, setChain, type ProxyStats } from '../registry/listener.js';
import { ToxicLeases } from '../registry/toxic-leases.js';
import type { Random, TcpProxy } from '../tcp/index.js';
import { ToxiproxyError } from '../toxiproxy-error.js';
import type { ControlSnapshot, MirrorProxy, MirrorToxic } from './snapshot.js';

/** How often a proxy this process could not listen for is tried again (the port may free up: another process on this host stopped). */
export const LISTEN_RETRY_MS = 5_000;

interface Served {
  proxy: MirrorProxy;
  readonly tcp: TcpProxy;
  listenError?: string | undefined;
}

export interface ServedSetOptions {
  readonly timers?: Timers | undefined;
  /** The clock of listen retries: not the toxics' (tests move that one by hand). */
  readonly retryTimers?: Timers | undefined;
  readonly random?: Random | undefined;
  readonly log: (line: string) => void;
}

/**
 * The control plane's set as this process serves it: the last snapshot,
 * and a listener per proxy made to match it. A port this host cannot bind
 * is reported (log, /metrics, `listen_error` in the API's view) and tried
 * again, and the other proxies are served regardless. A leased toxic ends
 * here at the end the control plane gave, so it ends on time even while
 * the control plane is out of reach.
 */
export class ServedSet {
  private readonly served = new Map<string, Served>();
  private readonly timers: Timers;
  private readonly retryTimers: Timers;
  private readonly leases: ToxicLeases;
  private queue: Promise<unknown> = Promise.resolve();
  private retry: unknown;
  private closed = false;
  /** The revision of the snapshot applied last (-1: none yet). */
  revision = -1;
  /** The control plane's count of toxics whose lease ended. */
  leasesEnded = 0;

  constructor(private readonly options: ServedSetOptions) {
    this.timers = options.timers ?? realTimers;
    this.retryTimers = options.retryTimers ?? realTimers;
    this.leases = new ToxicLeases(this.timers, (proxy, toxic, expiresAt) => void this.endLease(proxy, toxic, expiresAt));
  }

  /**
   * Makes the listeners match `snapshot`, unless an equal or newer one was
   * applied: `whole` applies it anyway (the first after a reconnection, from
   * a control plane that may have restarted with fewer revisions).
   */
  apply(snapshot: ControlSnapshot, whole: boolean): Promise<void> {
    return this.exclusive(async () => {
      if (this.closed || (!whole && snapshot.revision <= this.revision)) return;
      this.revision = snapshot.revision;
      this.leasesEnded = snapshot.leasesEnded;
      const wanted = new Set(snapshot.proxies.map((p) => p.name));
      for (const [name, s] of this.served) {
        if (wanted.has(name)) continue;
        this.leases.releaseAll(name);
        this.served.delete(name);
        await s.tcp.stop();
      }
      const now = this.timers.now();
      for (const proxy of snapshot.proxies) await this.serve({ ...proxy, toxics: proxy.toxics.filter((t) => t.expiresAt === undefined || t.expiresAt > now) });
      this.scheduleRetry();
    });
  }

  proxies(): ProxyView[] {
    return [...this.served.values()].map(viewOf).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  proxy(name: string): ProxyView | undefined {
    const s = this.served.get(name);
    return s && viewOf(s);
  }

  toxic(proxy: string, toxic: string): ToxicView | undefined {
    const t = this.served.get(proxy)?.proxy.toxics.find((x) => x.spec.name === toxic);
    return t && viewOfMirrorToxic(t);
  }

  /**
   * `listen` as the set holds it, when it names the address this process
   * bound for the proxy (what its view shows): a client that sends back
   * what it read (an update with the proxy's JSON, a /populate of a GET)
   * must not pin every process to this one's port.
   */
  asStored(name: string, listen: string): string {
    const s = this.served.get(name);
    return s && s.tcp.listenAddress !== s.proxy.listen && servesListen(s.tcp.listenAddress, listen) ? s.proxy.listen : listen;
  }

  /** The proxies served, as /populate takes them, with their toxics that hang on no lease (a lease ends with its control plane). */
  lastKnown(): object[] {
    return [...this.served.values()].map(({ proxy: p }) => ({
      name: p.name,
      listen: p.listen,
      upstream: p.upstream,
      enabled: p.enabled,
      toxics: p.toxics.filter((t) => t.expiresAt === undefined).map((t) => t.spec),
    }));
  }

  stats(): ProxyStats[] {
    return [...this.served.values()].map((s) => ({ name: s.proxy.name, enabled: s.tcp.running, toxics: s.proxy.toxics, traffic: s.tcp.stats(), listenError: s.listenError }));
  }

  async close(): Promise<void> {
    await this.exclusive(async () => {
      this.closed = true;
      this.retryTimers.clearTimeout(this.retry);
      this.leases.releaseAll();
      await Promise.all([...this.served.values()].map((s) => s.tcp.stop()));
    });
  }

  private async serve(proxy: MirrorProxy): Promise<void> {
    const s = this.served.get(proxy.name);
    if (!s) this.served.set(proxy.name, { proxy, tcp: newListener(proxy, proxy.toxics, this.options.random) });
    else {
      if (!sameToxics(s.proxy.toxics, proxy.toxics)) setChain(s.tcp, proxy.toxics);
      s.proxy = proxy;
    }
    this.leases.releaseAll(proxy.name);
    for (const t of proxy.toxics) if (t.expiresAt !== undefined) this.leases.hold(proxy.name, t.spec.name, t.expiresAt);
    await this.listen(this.served.get(proxy.name)!);
  }

  /** Moves, starts or stops the listener as the set says; a listen this host refuses is recorded, said once, and not thrown. */
  private async listen(s: Served): Promise<void> {
    const { name, listen, upstream, enabled } = s.proxy;
    try {
      await converge(s.tcp, { listen, upstream, enabled });
      if (s.listenError !== undefined) this.options.log(`toxiproxy: proxy ${name} listens on ${s.tcp.listenAddress} now`);
      s.listenError = undefined;
    } catch (err) {
      if (!(err instanceof ToxiproxyError)) throw err;
      if (s.listenError !== err.message) this.options.log(`toxiproxy: ${err.message}: the other processes on the control plane serve it as usual; this one tries again every ${LISTEN_RETRY_MS / 1000} s`);
      s.listenError = err.message;
    }
  }

  private scheduleRetry(): void {
    if (this.closed || this.retry !== undefined || ![...this.served.values()].some((s) => s.listenError !== undefined)) return;
    this.retry = this.retryTimers.setTimeout(() => {
      this.retry = undefined;
      void this.exclusive(async () => {
        if (this.closed) return;
        for (const s of this.served.values()) if (s.listenError !== undefined) await this.listen(s);
        this.scheduleRetry();
      });
    }, LISTEN_RETRY_MS);
  }

  /** A lease ran out on this clock: the toxic goes here now; the control plane's next snapshot no longer has it either. */
  private endLease(proxy: string, name: string, expiresAt: number): Promise<void> {
    return this.exclusive(async () => {
      const s = this.served.get(proxy);
      const toxic = s?.proxy.toxics.find((t) => t.spec.name === name);
      if (!s || !toxic || toxic.expiresAt !== expiresAt) return;
      s.proxy = { ...s.proxy, toxics: s.proxy.toxics.filter((t) => t !== toxic) };
      setChain(s.tcp, s.proxy.toxics);
    });
  }

  /** Runs `change` after every change before it, so a snapshot, a lease's end and a retry never interleave at an await. */
  private exclusive<T>(change: () => Promise<T>): Promise<T> {
    const run = this.queue.then(change);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

/** The toxic as the API shows it, its end as the control plane wrote it. */
function viewOfMirrorToxic(t: MirrorToxic): ToxicView {
  const { name, type, stream, toxicity, attributes } = t.spec;
  return { attributes, name, type, stream, toxicity, ...(t.expiresIso !== undefined ? { expires_at: t.expiresIso } : {}) };
}

/** The set's proxy, with the address this process bound (port 0 binds one per host) and why it could not, if so. */
function viewOf(s: Served): ProxyView {
  const { name, upstream, enabled, toxics } = s.proxy;
  return { name, listen: s.tcp.listenAddress, upstream, enabled, toxics: inListOrder(toxics).map(viewOfMirrorToxic), ...(s.listenError !== undefined ? { listen_error: s.listenError } : {}) };
}

const sameToxics = (a: readonly MirrorToxic[], b: readonly MirrorToxic[]): boolean => a.length === b.length && a.every((t, i) => JSON.stringify(t.spec) === JSON.stringify(b[i]!.spec));
