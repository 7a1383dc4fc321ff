import { z } from 'zod';

/**
 * The control plane's push protocol as the proxy reads it (README, "Control
 * plane"). Objects are not strict: a newer control plane may send more, and
 * a proxy ignores what it does not know. Each field is checked here; the
 * mesh text, registrations and fault specs are validated again as a whole
 * when the snapshot is applied.
 */
const labels = z.record(z.string(), z.string());
const remainingMs = z.number().finite();

// 0 is a canary subset waiting for traffic; the merged mesh is validated whole, which refuses a route with every weight 0.
const subset = z.object({ labels, weight: z.number().min(0) });

export const snapshotSchema = z.object({
  version: z.number().int().nonnegative(),
  mesh: z.object({ text: z.string(), file: z.string().default('<control plane>') }).nullable(),
  registrations: z
    .array(z.object({ service: z.string(), id: z.string(), address: z.string(), region: z.string().optional(), zone: z.string().optional(), labels: labels.default({}) }))
    .default([]),
  faults: z.array(z.object({ id: z.string(), spec: z.record(z.string(), z.unknown()), remainingMs })).default([]),
  halted: z.boolean().default(false),
  overrides: z.array(z.object({ service: z.string(), route: z.number().int().nonnegative(), to: z.array(subset).min(1), remainingMs })).default([]),
});

export type Snapshot = z.output<typeof snapshotSchema>;
export type Registration = Snapshot['registrations'][number];
export type RouteOverride = Snapshot['overrides'][number];

/** The `leases` event: what is left of each renewed lease, by fault id and by `service/route` for overrides. */
export const leasesSchema = z.object({
  remaining: z.record(z.string(), remainingMs).default({}),
  overrides: z.record(z.string(), remainingMs).default({}),
});

export type LeaseRemaining = z.output<typeof leasesSchema>;

/** What the proxy answers to each snapshot (POST /v1/proxies/<id>/ack). */
export type Ack = { readonly version: number; readonly applied: true } | { readonly version: number; readonly applied: false; readonly reason: string };

/** What the proxy reports every 2 s (POST /v1/proxies/<id>/report): counts and how its callers see each instance. */
export interface Report {
  readonly faults: Readonly<Record<string, { readonly matched: number; readonly hit: number }>>;
  readonly instances: ReadonlyArray<{ readonly service: string; readonly id: string; readonly state: 'healthy' | 'ejected' | 'probation'; readonly ejectedUntil?: string }>;
}
