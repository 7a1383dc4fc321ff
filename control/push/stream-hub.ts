import type { Response } from 'express';
import type { Timers } from '../../proxy/core/timers.js';
import type { Desired, DesiredState } from './desired-state.js';
import type { ObservedProxies, ObservedProxy, ProxyIdentity } from './observed-proxies.js';
import { sseEvent, type LeaseRemaining } from './snapshot.js';

/** A comment line every 15 s keeps idle streams alive through proxies and NATs, and shows a dead peer. */
export const PING_MS = 15_000;
/** A proxy that lacks a fault of the version it runs is sent that version again at most this often. */
export const RESEND_MS = 10_000;
/** A fault with less left than this may have ended on the proxy's clock already: its absence is no sign of a lost push. */
const ENDING_MS = 2_000;

interface Stream {
  readonly id: string;
  readonly res: Response;
  /** The socket's buffer is full: only the latest snapshot is written when it drains (each one is whole). */
  blocked: boolean;
  pending: string | undefined;
  /** The proxy's channels opened while this stream was its newest: they end with it. */
  readonly channels: Set<() => void>;
}

/**
 * One server-sent-event stream per connected proxy. Every new version is
 * serialised once and written to every stream; a stream whose socket is
 * backed up skips to the newest snapshot instead of queueing each one.
 */
export class StreamHub {
  private readonly streams = new Set<Stream>();
  private readonly unsubscribe: Array<() => void>;
  private pinger: unknown;
  private closed = false;

  constructor(
    private readonly desired: DesiredState,
    private readonly observed: ObservedProxies,
    private readonly timers: Timers,
  ) {
    this.unsubscribe = [desired.subscribe((d) => this.broadcastSnapshot(d)), desired.onLeases((r) => this.broadcastLeases(r)), observed.onReport((p) => this.reconcile(p))];
    this.schedulePing();
  }

  private schedulePing(): void {
    this.pinger = this.timers.setTimeout(() => {
      for (const s of this.streams) this.write(s, ': ping\n\n');
      if (!this.closed) this.schedulePing();
    }, PING_MS);
    (this.pinger as { unref?: () => void }).unref?.();
  }

  /** Takes over a response as a proxy's stream: headers, the current snapshot, then every change until it closes. */
  attach(res: Response, identity: ProxyIdentity, applied: number): void {
    const d = this.desired.current;
    // A version this store never reached is another history's (a restart without --data): it tells nothing until the proxy acks this one.
    const connection = this.observed.connect(identity, applied <= d.version ? applied : 0);
    res.status(200).set({ 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'x-accel-buffering': 'no' });
    res.flushHeaders();
    res.socket?.setNoDelay(true);
    const stream: Stream = { id: identity.id, res, blocked: false, pending: undefined, channels: new Set() };
    // Another stream under the same id is an older connection of the same proxy: it ends.
    for (const s of this.streams) if (s.id === identity.id) this.end(s);
    this.streams.add(stream);
    res.on('close', () => {
      this.streams.delete(stream);
      this.observed.disconnect(identity.id, connection);
      for (const end of [...stream.channels]) end();
    });
    this.write(stream, sseEvent('snapshot', this.desired.snapshot(d), d.version));
  }

  /**
   * Ties a proxy's channel to its open stream: `end` is called when that
   * stream closes, so a channel never outlives the stream it answers (a
   * proxy that died without a FIN is noticed by the stream's pings, never by
   * a channel the control plane only reads). Returns the function that
   * unties it, or undefined when the proxy has no stream open here.
   */
  joinChannel(id: string, end: () => void): (() => void) | undefined {
    let newest: Stream | undefined;
    for (const s of this.streams) if (s.id === id) newest = s;
    if (!newest) return undefined;
    const stream = newest;
    stream.channels.add(end);
    return () => void stream.channels.delete(end);
  }

  get size(): number {
    return this.streams.size;
  }

  /** Ends every proxy stream (they reconnect, to this replica or another); the hub stays open. */
  endAll(): void {
    for (const s of [...this.streams]) this.end(s);
  }

  close(): void {
    this.closed = true;
    for (const u of this.unsubscribe) u();
    this.timers.clearTimeout(this.pinger);
    for (const s of [...this.streams]) this.end(s);
  }

  private readonly resentAt = new Map<string, number>();
  /** How many times a proxy was sent its version again because its report lacked a fault of it. */
  resends = 0;

  /**
   * A proxy reports the faults it holds every 2 s. One that runs the
   * current version but lacks a fault of it still live got that version
   * wrong (a push or a lease remainder that misled it); nothing later
   * would correct it until the next change, so it is sent the version
   * again, at most every RESEND_MS. Resending is harmless: a proxy applies
   * a snapshot whole, the same one twice alike.
   */
  private reconcile(p: ObservedProxy): void {
    const d = this.desired.current;
    if (!p.connected || p.applied !== d.version || d.halt !== undefined) return;
    const snapshot = this.desired.snapshot(d);
    if (!snapshot.faults.some((f) => f.remainingMs > ENDING_MS && !(f.id in p.faults))) return;
    const now = this.timers.now();
    if (now - (this.resentAt.get(p.id) ?? -Infinity) < RESEND_MS) return;
    this.resentAt.set(p.id, now);
    this.resends++;
    const event = sseEvent('snapshot', snapshot, d.version);
    for (const s of this.streams) if (s.id === p.id) this.write(s, event, true);
  }

  private broadcastSnapshot(d: Desired): void {
    if (this.streams.size === 0) return;
    const event = sseEvent('snapshot', this.desired.snapshot(d), d.version);
    for (const s of this.streams) this.write(s, event, true);
  }

  private broadcastLeases(r: LeaseRemaining): void {
    const event = sseEvent('leases', r);
    for (const s of this.streams) this.write(s, event);
  }

  /** `replaces`: a whole snapshot, which makes whatever still waits for the socket (older snapshots, lease remainders) pointless. */
  private write(s: Stream, text: string, replaces = false): void {
    if (s.blocked) {
      s.pending = replaces ? text : (s.pending ?? '') + text;
      return;
    }
    if (s.res.write(text)) return;
    s.blocked = true;
    s.res.once('drain', () => {
      s.blocked = false;
      const pending = s.pending;
      s.pending = undefined;
      if (pending !== undefined) this.write(s, pending);
    });
  }

  private end(s: Stream): void {
    this.streams.delete(s);
    s.res.end();
  }
}
