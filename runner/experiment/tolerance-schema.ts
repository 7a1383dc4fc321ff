import { z } from 'zod';

const scalar = z.union([z.number(), z.string(), z.boolean()]);
const target = z.string().min(1).optional();

const regexPattern = z.string().superRefine((pattern, ctx) => {
  try {
    new RegExp(pattern);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: `not a valid regular expression: ${(err as Error).message}` });
  }
});

/**
 * What a probe's output must be for the probe to pass. The plain forms
 * behave as Chaos Toolkit's: a number compares with an http or process
 * output's `status`, a list is membership (or, for two numbers against a
 * bare number, an inclusive range, as Chaos Toolkit reads it).
 */
export const toleranceSchema = z.union([
  scalar,
  z.array(scalar).min(1, 'a tolerance list needs at least one value'),
  z.discriminatedUnion(
    'type',
    [
      z.strictObject({ type: z.literal('range'), range: z.tuple([z.number(), z.number()], { error: 'range is [low, high], two numbers' }), target }),
      z.strictObject({ type: z.literal('regex'), pattern: regexPattern, target }),
      z.strictObject({ type: z.literal('jsonpath'), path: z.string().min(1), expect: z.unknown().optional(), count: z.number().int().min(0).optional(), target }),
      z
        .strictObject({ type: z.literal('threshold'), max: z.number().optional(), min: z.number().optional(), target })
        .refine((t) => t.max !== undefined || t.min !== undefined, 'a threshold needs max, min or both'),
      // Chaos Toolkit runs a probe (usually Python) as a tolerance: refused by name, not as "invalid input".
      z.object({ type: z.literal('probe') }).check((ctx) => {
        ctx.issues.push({ code: 'custom', input: ctx.value, message: 'probe tolerances are not supported; use range, regex, jsonpath or threshold' });
      }),
    ],
    { error: 'tolerance type is range, regex, jsonpath or threshold' },
  ),
]);

export type Tolerance = z.output<typeof toleranceSchema>;
