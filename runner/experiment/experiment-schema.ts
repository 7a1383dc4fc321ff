import { z } from 'zod';
import { durationSchema } from '../../proxy/config/duration.js';
import { activityOrRef, checkedProbe } from './activity-schema.js';

/** A configuration value: a literal, or read from the environment when the run starts. */
const envValue = z.strictObject({ type: z.literal('env'), key: z.string().min(1), default: z.unknown().optional() });
const configValue = z.union([envValue, z.string(), z.number(), z.boolean(), z.array(z.unknown()), z.null()]);

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
  configuration: z.record(z.string(), configValue).optional(),
  secrets: z.record(z.string(), z.record(z.string(), z.union([envValue, z.string()]))).optional(),
  'steady-state-hypothesis': z
    .strictObject({
      title: z.string().min(1),
      probes: z.array(checkedProbe).default([]),
      during: during.optional(),
    })
    .optional(),
  method: z.array(activityOrRef).min(1, 'the method needs at least one activity'),
  rollbacks: z.array(activityOrRef).default([]),
  /** Probes checked every few seconds while the method runs; one that fails aborts it. */
  safeguards: z.array(checkedProbe).default([]),
});

export type ExperimentInput = z.input<typeof experimentSchema>;
