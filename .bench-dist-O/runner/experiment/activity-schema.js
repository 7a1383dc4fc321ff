import { z } from 'zod';
import { controlListSchema } from '../controls/control-schema.js';
import { providerSchema, spanSecondsOrDuration } from './provider-schema.js';
import { toleranceSchema } from './tolerance-schema.js';
const pauses = z.strictObject({ before: spanSecondsOrDuration.optional(), after: spanSecondsOrDuration.optional() });
/** An action or probe, as Chaos Toolkit writes it. */
export const activitySchema = z
    .strictObject({
    type: z.enum(['action', 'probe'], { error: 'type is action or probe' }),
    name: z.string().min(1),
    provider: providerSchema,
    tolerance: toleranceSchema.optional(),
    pauses: pauses.optional(),
    background: z.boolean().default(false),
    /** Secret scopes the activity uses (Chaos Toolkit); every declared secret is available to ${} anyway. */
    secrets: z.array(z.string()).optional(),
    configuration: z.record(z.string(), z.unknown()).optional(),
    /** Chaos Toolkit controls around this activity alone (beside the automatic top-level ones). */
    controls: controlListSchema.optional(),
})
    .superRefine((a, ctx) => {
    if (a.type === 'action' && a.tolerance !== undefined)
        ctx.addIssue({ code: 'custom', path: ['tolerance'], message: 'an action has no tolerance; make it a probe' });
});
/** `{ref: NAME}`: an activity declared earlier in the file, run again (rollbacks often do). */
export const refSchema = z.strictObject({ ref: z.string().min(1) });
/** Each place an activity may stand: a full activity, or a reference to one declared earlier. */
export const activityOrRef = z.union([refSchema, activitySchema], { error: 'an activity is a mapping (type, name, provider...) or {ref: NAME}' });
/** A probe whose tolerance decides something: a hypothesis or a safeguard. */
export const checkedProbe = z.union([
    refSchema,
    activitySchema.superRefine((a, ctx) => {
        if (a.type !== 'probe')
            ctx.addIssue({ code: 'custom', path: ['type'], message: 'only probes go here' });
        if (a.tolerance === undefined)
            ctx.addIssue({ code: 'custom', path: ['tolerance'], message: 'this probe needs a tolerance: what its output must be' });
    }),
], { error: 'a probe is a mapping (type: probe, name, provider, tolerance...) or {ref: NAME}' });
//# sourceMappingURL=activity-schema.js.map