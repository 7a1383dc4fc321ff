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
/** The `leases` event: what is left of each renewed lease, by fault id and by `service/route` for overrides. */
export const leasesSchema = z.object({
    remaining: z.record(z.string(), remainingMs).default({}),
    overrides: z.record(z.string(), remainingMs).default({}),
});
//# sourceMappingURL=snapshot.js.map