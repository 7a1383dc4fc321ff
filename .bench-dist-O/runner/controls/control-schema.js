import { z } from 'zod';
/** A python control: a module whose hook functions (before_activity_control, ...) Chaos Toolkit calls. */
const pythonControlProvider = z.strictObject({
    type: z.literal('python'),
    module: z.string().min(1),
    arguments: z.record(z.string(), z.unknown()).default({}),
});
const controlProvider = z.discriminatedUnion('type', [pythonControlProvider], {
    error: (issue) => {
        if (issue.code !== 'invalid_union')
            return undefined;
        const type = issue.input?.type;
        return `Chaos Toolkit controls of type ${JSON.stringify(type ?? null)} are not supported: faultmesh runs python controls only (provider: {type: python, module: ...})`;
    },
});
/**
 * A Chaos Toolkit control, as its experiments write one: `scope` limits it
 * to the before or after hooks; `automatic: false` keeps a top-level
 * control off the hypothesis, method, rollbacks and activities.
 */
export const controlSpecSchema = z.strictObject({
    name: z.string().min(1),
    provider: controlProvider,
    scope: z.enum(['before', 'after'], { error: 'scope is before or after' }).optional(),
    automatic: z.boolean().default(true),
});
/** `{ref: NAME}`: a top-level control, applied here (at a hypothesis or an activity). */
export const controlRefSchema = z.strictObject({ ref: z.string().min(1) });
export const controlListSchema = z.array(z.union([controlRefSchema, controlSpecSchema]));
export const isControlRef = (c) => 'ref' in c;
//# sourceMappingURL=control-schema.js.map