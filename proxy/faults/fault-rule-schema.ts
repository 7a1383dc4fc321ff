import { z } from 'zod';
import { durationSchema } from '../config/duration.js';
import { targetSchema } from '../config/mesh-schema.js';

const NAME = /^[A-Za-z0-9]([A-Za-z0-9-_.]*[A-Za-z0-9])?$/;
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE'] as const;
const strings = z.array(z.string().min(1)).min(1, 'give at least one value, or leave the key out');

const matchSchema = z.strictObject({
  hosts: strings.optional(),
  regions: strings.optional(),
  zones: strings.optional(),
  customers: strings.optional(),
  sources: strings.optional(),
  paths: z.array(z.string().startsWith('/', 'path globs start with "/"')).min(1).optional(),
  methods: z
    .array(z.string().transform((m) => m.toUpperCase()).pipe(z.enum(METHODS, { error: `methods are ${METHODS.join(', ')}` })))
    .min(1)
    .optional(),
  headers: z.record(z.string(), z.string({ error: 'header values must be strings (quote numbers)' })).optional(),
  // The chosen instance's labels (exact values, all of them): a canary aims a fault at its subset this way.
  labels: z
    .record(z.string().min(1, 'label names cannot be empty'), z.string({ error: 'label values must be strings (quote numbers)' }))
    .refine((l) => Object.keys(l).length > 0, 'give at least one label, or leave the key out')
    .optional(),
});

const delaySchema = z
  .strictObject({ fixed: durationSchema.optional(), min: durationSchema.optional(), max: durationSchema.optional(), mean: durationSchema.optional(), stddev: durationSchema.optional() })
  .transform((d, ctx) => {
    const forms = [d.fixed !== undefined, d.min !== undefined || d.max !== undefined, d.mean !== undefined || d.stddev !== undefined].filter(Boolean).length;
    if (forms !== 1) {
      ctx.addIssue({ code: 'custom', message: 'delay takes one form: { fixed } or { min, max } or { mean, stddev }' });
      return z.NEVER;
    }
    if (d.fixed !== undefined) return { form: 'fixed' as const, ms: d.fixed };
    if (d.min !== undefined || d.max !== undefined) {
      if (d.min === undefined || d.max === undefined || d.min > d.max) {
        ctx.addIssue({ code: 'custom', message: 'a uniform delay needs min and max, with min <= max' });
        return z.NEVER;
      }
      return { form: 'uniform' as const, minMs: d.min, maxMs: d.max };
    }
    if (d.mean === undefined || d.stddev === undefined) {
      ctx.addIssue({ code: 'custom', message: 'a normal delay needs mean and stddev' });
      return z.NEVER;
    }
    return { form: 'normal' as const, meanMs: d.mean, stddevMs: d.stddev };
  });

// What HTTP allows in a header name and value: a rule must never make the proxy write an invalid response.
const headerName = z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'not a valid header name');
const headerValue = z.string({ error: 'header values must be strings (quote numbers)' }).regex(/^[\t\x20-\x7e\x80-\xff]*$/, 'header values cannot hold control characters');

const abortSchema = z.strictObject({
  status: z.number().int().min(200, 'abort status must be 200 to 599').max(599, 'abort status must be 200 to 599'),
  body: z.string().optional(),
  headers: z.record(headerName, headerValue).optional(),
});

/** Every field of a rule; `faultRuleSchema` adds the checks across fields. */
export const faultRuleShape = z.strictObject({
  id: z.string().regex(NAME, 'id: letters, digits, "-", "_" and "."').max(100).optional(),
  target: targetSchema,
  match: matchSchema.default({}),
  percentage: z.number().min(0, 'percentage is 0 to 100').max(100, 'percentage is 0 to 100').default(100),
  abort: abortSchema.optional(),
  delay: delaySchema.optional(),
  reset: z.literal(true, { error: 'reset takes true (or leave it out)' }).optional(),
  hang: z.literal(true, { error: 'hang takes true (or leave it out)' }).optional(),
  throttle: z.strictObject({ bytesPerSecond: z.number().int().positive('bytesPerSecond must be above 0') }).optional(),
  phase: z.enum(['request', 'response'], { error: 'phase is request or response' }).default('request'),
  ttl: durationSchema.refine((ms) => ms > 0, 'ttl must be above 0'),
  seed: z.union([z.string(), z.number()]).optional(),
  maxActive: z.number().int().positive('maxActive must be above 0').optional(),
  // Never matched on: what added the rule, so that tool can later replace exactly what it added (faults add of an Istio VirtualService writes `VirtualService/NAME`).
  origin: z.string().min(1, 'origin cannot be empty').max(200).optional(),
  // Never matched on either: the W3C trace context of the run that injected the rule (runner/tracing), so the spans of the calls it hits link to that run.
  traceparent: z.string().regex(/^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/, 'traceparent is a W3C traceparent: 00-<32 hex trace id>-<16 hex span id>-<2 hex flags>').optional(),
});

type Actions = Pick<z.output<typeof faultRuleShape>, 'abort' | 'reset' | 'hang' | 'delay' | 'throttle'>;

/** The checks across fields: at least one action, and only actions that go together. */
export function checkActions(rule: Actions, ctx: z.RefinementCtx): void {
  const terminal = (['abort', 'reset', 'hang'] as const).filter((k) => rule[k] !== undefined);
  if (terminal.length + (rule.delay ? 1 : 0) + (rule.throttle ? 1 : 0) === 0) {
    ctx.addIssue({ code: 'custom', message: 'a fault needs at least one action: abort, delay, reset, hang or throttle' });
  }
  if (terminal.length > 1) ctx.addIssue({ code: 'custom', path: [terminal[1]!], message: `${terminal.join(' and ')} cannot be combined: each ends the request` });
  if (terminal.length > 0 && rule.throttle) ctx.addIssue({ code: 'custom', path: ['throttle'], message: `throttle slows a response body; ${terminal[0]} leaves none to slow` });
}

/**
 * A fault rule as users write it, in the admin API (JSON) and in
 * experiments (YAML). Validated whole: a rule with any bad field is refused.
 */
export const faultRuleSchema = faultRuleShape.superRefine(checkActions);

/** A rules file's list: at least one rule, no id given twice (a proxy refuses the second, so the file could never apply whole). */
export const faultRuleListSchema = z
  .array(faultRuleSchema)
  .min(1, 'the list has no rules')
  .superRefine((rules, ctx) => {
    const seen = new Map<string, number>();
    rules.forEach((rule, i) => {
      if (rule.id === undefined) return;
      const first = seen.get(rule.id);
      if (first === undefined) seen.set(rule.id, i);
      else ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `duplicate rule id "${rule.id}" (first at [${first}])` });
    });
  });

export type FaultRuleSpec = z.output<typeof faultRuleSchema>;
export type DelaySpec = NonNullable<FaultRuleSpec['delay']>;
