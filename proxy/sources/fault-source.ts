import { MemoryFaultStore, type FaultStore } from '../faults/fault-store.js';
import type { Random } from '../routing/balancer.js';
import { Listeners } from './listeners.js';

/** Who writes the rules: this proxy's admin API, or a control plane (whose URL the admin API's refusals name). */
export type FaultOwner = { readonly kind: 'admin' } | { readonly kind: 'control'; readonly url: () => string };

/**
 * The fault port of the proxy core: the rules in force with their leases,
 * the halt state, and a notice on each change. The hot path reads `rulesFor`
 * from the store's local, synchronous index; the source decides who may
 * change it. Implementations: localFaultSource, ControlFaultSource.
 */
export interface FaultSource {
  /** The local index: the fault filter, the admin API's reads, metrics and reports. */
  readonly store: FaultStore;
  readonly owner: FaultOwner;
  /** Calls `listener` after each change of the rules, their leases or the halt state; returns the function that stops it. */
  onChange(listener: () => void): () => void;
  /** Drops rules whose lease has ended (they stopped applying at that moment already). */
  sweep(): void;
  close(): void;
}

/** Today's proxy alone: rules come and go through its own admin API. */
export function localFaultSource(now: () => number, random: Random): FaultSource {
  const listeners = new Listeners<void>();
  const store = new MemoryFaultStore(now, random, () => void listeners.emit());
  return {
    store,
    owner: { kind: 'admin' },
    onChange: (listener) => listeners.add(listener),
    sweep: () => void store.sweep(),
    close: () => {},
  };
}
