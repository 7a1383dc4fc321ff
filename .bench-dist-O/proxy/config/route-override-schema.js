import { z } from 'zod';
import { durationSchema } from './duration.js';
import { labelsSchema } from './mesh-schema.js';
/**
 * The body of `PUT /v1/overrides/:service/:route` on a proxy's admin API:
 * the control plane's shape (control/api/override-routes.ts), with `ttl`
 * required, since a proxy on its own holds no leases. Re-putting renews.
 */
export const routeOverrideSchema = z.strictObject({
    to: z
        // 0 keeps a subset in the route with no traffic (a canary before its first step, or stable after a promotion).
        .array(z.strictObject({ labels: labelsSchema, weight: z.number().min(0, 'weight is 0 or more') }))
        .min(1, 'to needs at least one subset')
        .refine((to) => to.some((s) => s.weight > 0), 'at least one subset needs a weight above 0'),
    ttl: durationSchema.refine((ms) => ms > 0, 'ttl must be above 0'),
    // Said plainly rather than as "unknown field": the canary's control-plane body carries one.
    lease: z.unknown().refine(() => false, "a proxy's admin API holds no leases: give ttl, and put the override again to renew it").optional(),
    // No default: a made-up name would read as a service or a run that set it.
    by: z.string().min(1).max(200).optional(),
});
//# sourceMappingURL=route-override-schema.js.map