import type { Subset } from '../keys.js';

/** What one proxy receives: the whole desired state at one store revision (design: the push protocol). */
export interface Snapshot {
  readonly version: number;
  /** null: the control plane has no configuration yet, and the proxy keeps what it has. */
  readonly mesh: { readonly text: string; readonly file: string } | null;
  readonly registrations: ReadonlyArray<{ service: string; id: string; address: string; region?: string; zone?: string; labels: Readonly<Record<string, string>> }>;
  readonly faults: ReadonlyArray<{ id: string; spec: Record<string, unknown>; remainingMs: number }>;
  readonly halted: boolean;
  readonly overrides: ReadonlyArray<{ service: string; route: number; to: readonly Subset[]; remainingMs: number }>;
}

/** The `leases` event: what is left of each leased thing after a renewal, by fault id and by `service/route`. */
export interface LeaseRemaining {
  readonly remaining: Readonly<Record<string, number>>;
  readonly overrides: Readonly<Record<string, number>>;
}

/** One server-sent event; `data` is one line of JSON, so it never needs splitting. */
export function sseEvent(event: string, data: unknown, id?: number): string {
  return `event: ${event}\n${id === undefined ? '' : `id: ${id}\n`}data: ${JSON.stringify(data)}\n\n`;
}
