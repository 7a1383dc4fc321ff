/** Who a proxy says it is when it opens its stream. */
export interface ProxyIdentity {
  readonly id: string;
  readonly service: string;
  readonly region?: string | undefined;
  readonly zone?: string | undefined;
  /** Its admin URL, where /metrics is fetched from. */
  readonly admin?: string | undefined;
}

export type InstanceState = 'healthy' | 'ejected' | 'probation';

export interface InstanceHealth {
  readonly service: string;
  readonly id: string;
  readonly state: InstanceState;
  readonly ejectedUntil?: string | undefined;
}

export interface Counts {
  readonly matched: number;
  readonly hit: number;
}

/** What the control plane knows a proxy has, from its stream, its acknowledgements and its reports. */
export interface ObservedProxy extends ProxyIdentity {
  readonly connected: boolean;
  readonly connectedSince: number;
  readonly disconnectedAt?: number | undefined;
  /** The last version it applied; 0 before its first acknowledgement (or what it said it had on connect). */
  readonly applied: number;
  readonly lastRejection?: { readonly version: number; readonly reason: string; readonly at: number } | undefined;
  readonly faults: Readonly<Record<string, Counts>>;
  readonly instances: readonly InstanceHealth[];
  readonly lastReportAt?: number | undefined;
  /** Published by another replica without its instances and fault counts (too many for one store write). */
  readonly truncated?: boolean | undefined;
  /** The replica it is connected to, when that is another one (a shared store): its entry is as of that replica's last publish. */
  readonly replica?: string | undefined;
  /** Why the control plane last closed this proxy's channel (a bad line); the proxy then acks by POST. */
  readonly lastChannelError?: { readonly reason: string; readonly at: number } | undefined;
}

/** How long a proxy that left stays in the list (and in the discrepancies). */
export const KEEP_DISCONNECTED_MS = 5 * 60_000;

/**
 * Per-proxy observed state, kept in memory by the replica the proxy is
 * connected to. A reconnection under the same id takes the entry over; the
 * old stream closing afterwards does not mark it disconnected.
 */
export class ObservedProxies {
  private readonly proxies = new Map<string, ObservedProxy & { connection: number }>();
  private connections = 0;

  constructor(
    private readonly now: () => number,
    private readonly keepDisconnectedMs = KEEP_DISCONNECTED_MS,
  ) {}

  /** A stream opened; returns the connection number its close must give back. */
  connect(identity: ProxyIdentity, applied: number): number {
    const connection = ++this.connections;
    const before = this.proxies.get(identity.id);
    this.proxies.set(identity.id, {
      ...identity,
      connection,
      connected: true,
      connectedSince: this.now(),
      applied,
      lastRejection: before?.lastRejection,
      faults: before?.faults ?? {},
      instances: before?.instances ?? [],
      lastReportAt: before?.lastReportAt,
      lastChannelError: before?.lastChannelError,
    });
    return connection;
  }

  disconnect(id: string, connection: number): void {
    const p = this.proxies.get(id);
    if (p && p.connection === connection) this.proxies.set(id, { ...p, connected: false, disconnectedAt: this.now() });
  }

  /** Records an acknowledgement; false for a proxy this replica has never seen. */
  ack(id: string, ack: { version: number; applied: boolean; reason?: string | undefined }): boolean {
    const p = this.proxies.get(id);
    if (!p) return false;
    // The version acknowledged last is the one it runs: a proxy acks in order, and the first version of a new stream may be lower (a control plane restarted without --data numbers from 1 again).
    if (ack.applied) this.proxies.set(id, { ...p, applied: ack.version });
    else this.proxies.set(id, { ...p, lastRejection: { version: ack.version, reason: ack.reason ?? 'no reason given', at: this.now() } });
    return true;
  }

  report(id: string, report: { faults: Record<string, Counts>; instances: readonly InstanceHealth[] }): boolean {
    const p = this.proxies.get(id);
    if (!p) return false;
    const next = { ...p, faults: report.faults, instances: report.instances, lastReportAt: this.now() };
    this.proxies.set(id, next);
    for (const listener of this.reportListeners) listener(next);
    return true;
  }

  private readonly reportListeners = new Set<(p: ObservedProxy) => void>();

  /** Calls `listener` with a proxy's record after each report it sent; returns the function that stops it. */
  onReport(listener: (p: ObservedProxy) => void): () => void {
    this.reportListeners.add(listener);
    return () => this.reportListeners.delete(listener);
  }

  /** Records why a channel was closed; false for a proxy this replica has never seen. */
  channelError(id: string, reason: string): boolean {
    const p = this.proxies.get(id);
    if (!p) return false;
    this.proxies.set(id, { ...p, lastChannelError: { reason, at: this.now() } });
    return true;
  }

  get(id: string): ObservedProxy | undefined {
    return this.proxies.get(id);
  }

  /** Every proxy connected, or gone for less than the keep period; older ones are forgotten here. */
  list(): ObservedProxy[] {
    const now = this.now();
    for (const [id, p] of this.proxies) if (!p.connected && now - (p.disconnectedAt ?? now) > this.keepDisconnectedMs) this.proxies.delete(id);
    return [...this.proxies.values()];
  }

  connectedCount(): number {
    let n = 0;
    for (const p of this.proxies.values()) if (p.connected) n++;
    return n;
  }
}
