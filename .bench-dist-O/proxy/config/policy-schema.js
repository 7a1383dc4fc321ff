import { z } from 'zod';
import { durationSchema } from './duration.js';
/**
 * A service's resilience policy: timeouts, retries, outlier detection, load
 * balancing and locality. Every key has a default, so `policy` may be left
 * out entirely; the defaults are what an operator expects from a mesh:
 * a bounded wait, retries only where the request never reached the service
 * (a refused connection) and only for idempotent methods, and failing
 * instances ejected.
 */
export const RETRY_ON = ['5xx', 'gateway-error', 'reset', 'connect-failure', 'retriable-status-codes'];
const IDEMPOTENT = ['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS'];
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE'];
/** `70%` or `70`: a share from 0 to 100. */
const PERCENT_HINT = 'write a percentage as 70 or "70%"';
const percentSchema = z
    .union([z.number(), z.string()], { error: PERCENT_HINT })
    .transform((v, ctx) => {
    if (typeof v === 'number')
        return v;
    const m = /^(\d+(?:\.\d+)?)%?$/.exec(v.trim());
    if (!m) {
        ctx.addIssue({ code: 'custom', message: PERCENT_HINT });
        return z.NEVER;
    }
    return Number(m[1]);
})
    .pipe(z.number().min(0, 'a percentage is 0 to 100').max(100, 'a percentage is 0 to 100'));
const positiveDuration = durationSchema.pipe(z.number().positive('the duration must be above 0'));
const retriesSchema = z
    .strictObject({
    attempts: z.number().int('attempts is a whole number').min(0, 'attempts is 0 (no retries) or more').max(10, 'at most 10 retries').default(2),
    perTryTimeout: positiveDuration.optional(),
    retryOn: z.array(z.enum(RETRY_ON, { error: `retryOn takes ${RETRY_ON.join(', ')}` })).default(['connect-failure']),
    statusCodes: z.array(z.number().int().min(100, 'an HTTP status is 100 to 599').max(599, 'an HTTP status is 100 to 599')).default([]),
    backoff: z
        .strictObject({ base: positiveDuration.default(25), max: positiveDuration.default(250) })
        .refine((b) => b.max >= b.base, { message: 'backoff.max must be at least backoff.base' })
        .default({ base: 25, max: 250 }),
    budget: z
        .strictObject({ percent: percentSchema.default(20), minPerSecond: z.number().min(0, 'minPerSecond is 0 or more').default(10) })
        .default({ percent: 20, minPerSecond: 10 }),
    methods: z
        .array(z.string().transform((m) => m.toUpperCase()).pipe(z.enum(METHODS, { error: `methods take ${METHODS.join(', ')}` })))
        .default([...IDEMPOTENT]),
})
    .superRefine((r, ctx) => {
    if (r.retryOn.includes('retriable-status-codes') && r.statusCodes.length === 0) {
        ctx.addIssue({ code: 'custom', path: ['statusCodes'], message: 'retriable-status-codes needs statusCodes: [409, ...]' });
    }
});
const outlierSchema = z.strictObject({
    enabled: z.boolean().default(true),
    consecutive5xx: z.number().int().min(0, '0 turns this check off').default(5),
    consecutiveGatewayErrors: z.number().int().min(0, '0 turns this check off').default(5),
    slow: z.strictObject({ above: positiveDuration, consecutive: z.number().int().min(1, 'consecutive is 1 or more').default(5) }).optional(),
    baseEjectionTime: positiveDuration.default(30_000),
    maxEjectionTime: positiveDuration.default(300_000),
    maxEjectionPercent: percentSchema.default(50),
});
const localitySchema = z.strictObject({
    prefer: z.enum(['zone', 'region', 'none'], { error: 'prefer is zone, region or none' }).default('none'),
    failoverBelowHealthy: percentSchema.default(70),
});
export const LOAD_BALANCERS = ['round-robin', 'least-request', 'peak-ewma'];
export const policySchema = z
    .strictObject({
    /** The whole request, retries included; absent = the proxy's --timeout. */
    timeout: positiveDuration.optional(),
    retries: retriesSchema.default(() => retriesSchema.parse({})),
    outlierDetection: outlierSchema.default(() => outlierSchema.parse({})),
    loadBalancer: z.enum(LOAD_BALANCERS, { error: `loadBalancer must be ${LOAD_BALANCERS.join(', ')}` }).default('round-robin'),
    locality: localitySchema.default(() => localitySchema.parse({})),
})
    .superRefine((p, ctx) => {
    const perTry = p.retries.perTryTimeout;
    if (perTry !== undefined && p.timeout !== undefined && perTry > p.timeout) {
        ctx.addIssue({ code: 'custom', path: ['retries', 'perTryTimeout'], message: 'perTryTimeout is longer than the whole timeout, so no retry could ever start' });
    }
});
export const defaultPolicy = () => policySchema.parse({});
//# sourceMappingURL=policy-schema.js.map