import { z } from 'zod';
import { explainIssues, formatPath } from '../../proxy/config/config-error.js';
/**
 * What a proxy sends back: an acknowledgement per snapshot and a report
 * every 2 s. One set of schemas for both ways of sending them, the POST
 * endpoints and the channel's lines, so neither accepts what the other refuses.
 */
export const ackBody = z.union([
    z.strictObject({ version: z.number().int().min(0), applied: z.literal(true) }),
    z.strictObject({ version: z.number().int().min(0), applied: z.literal(false), reason: z.string().max(10_000) }),
]);
/** Bounded: one small JSON per proxy every few seconds, never a growing list. */
export const reportBody = z.strictObject({
    faults: z
        .record(z.string().max(200), z.strictObject({ matched: z.number().int().min(0), hit: z.number().int().min(0) }))
        .refine((f) => Object.keys(f).length <= 10_000, 'at most 10000 faults')
        .default({}),
    instances: z
        .array(z.strictObject({ service: z.string().max(200), id: z.string().max(200), state: z.enum(['healthy', 'ejected', 'probation']), ejectedUntil: z.string().max(100).optional() }))
        .max(10_000)
        .default([]),
});
/** Validates without throwing: the POST routes turn a failure into a 400, the channel into its closing reason. */
export function check(schema, data) {
    const parsed = schema.safeParse(data ?? {});
    if (parsed.success)
        return { ok: true, value: parsed.data };
    return { ok: false, errors: explainIssues(parsed.error.issues, data).map((i) => ({ field: formatPath(i.path), message: i.message })) };
}
//# sourceMappingURL=proxy-messages.js.map