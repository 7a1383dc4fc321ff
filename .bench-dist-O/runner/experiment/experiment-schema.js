import { z } from 'zod';
import { durationSchema } from '../../proxy/config/duration.js';
import { controlListSchema } from '../controls/control-schema.js';
import { activityOrRef, checkedProbe } from './activity-schema.js';
import { configEntry, secretEntry } from './configuration-schema.js';
import { checkRuntimeAgainstDuring, runtimeSchema } from './runtime-schema.js';
/** `every 5s` (or just `5s`): how often the hypothesis is checked while the method runs. */
const during = z
    .string()
    .transform((s) => s.replace(/^every\s+/, ''))
    .pipe(durationSchema)
    .refine((ms) => ms > 0, 'during is "every <duration>", e.g. "every 5s"');
/**
 * An experiment: Chaos Toolkit's format (in YAML or JSON), plus faultmesh
 * providers, `safeguards` and a hypothesis checked during the method.
 */
export const experimentSchema = z.strictObject({
    version: z.union([z.string(), z.number()]).optional(),
    title: z.string().min(1),
    description: z.string().optional(),
    tags: z.array(z.string()).optional(),
    contributions: z.record(z.string(), z.string()).optional(),
    /** Kept for Chaos Toolkit files; faultmesh reads none. */
    extensions: z.array(z.unknown()).optional(),
    configuration: z.record(z.string(), configEntry).optional(),
    secrets: z.record(z.string(), z.record(z.string(), secretEntry)).optional(),
    'steady-state-hypothesis': z
        .strictObject({
        title: z.string().min(1),
        probes: z.array(checkedProbe).default([]),
        during: during.optional(),
        /** Chaos Toolkit controls around each check of the hypothesis. */
        controls: controlListSchema.optional(),
    })
        .optional(),
    method: z.array(activityOrRef).min(1, 'the method needs at least one activity'),
    rollbacks: z.array(activityOrRef).default([]),
    /** Probes checked every few seconds while the method runs; one that fails aborts it. */
    safeguards: z.array(checkedProbe).default([]),
    /** Chaos Toolkit's rollback and hypothesis strategies; the command line's flags win over it. */
    runtime: runtimeSchema.optional(),
    /** Chaos Toolkit's CLI sets this from its --dry flag and ignores the file's; faultmesh ignores it too (its dry run is --dry-run). */
    dry: z.unknown().optional(),
    /** Chaos Toolkit's control hooks, run through the Python bridge (runner/controls/). */
    controls: controlListSchema.optional(),
}).superRefine(checkRuntimeAgainstDuring);
//# sourceMappingURL=experiment-schema.js.map