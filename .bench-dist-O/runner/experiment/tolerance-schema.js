import { JSONPath } from 'jsonpath-plus';
import { z } from 'zod';
import { describeValue } from '../../proxy/config/config-error.js';
import { pythonRegExp, PythonRegexError } from '../python-regex.js';
import { providerSchema } from './provider-schema.js';
const scalar = z.union([z.number(), z.string(), z.boolean()]);
const target = z.string().min(1).optional();
/** A Python regular expression, as chaoslib compiles it (`re.compile`): read once here, so one that Python or faultmesh cannot take fails validation, not the probe. */
const regexPattern = z.string().superRefine((pattern, ctx) => {
    try {
        pythonRegExp(pattern);
    }
    catch (err) {
        const invalid = !(err instanceof PythonRegexError) || err.kind === 'invalid';
        ctx.addIssue({ code: 'custom', message: invalid ? `not a valid Python regular expression (Chaos Toolkit compiles it with Python's re): ${err.message}` : err.message });
    }
});
/** A JSONPath, checked as Chaos Toolkit checks it before a run: one that cannot be read fails validation, not the probe. */
const jsonPath = z.string().superRefine((path, ctx) => {
    if (!path.trim().startsWith('$'))
        return ctx.addIssue({ code: 'custom', message: 'a JSONPath starts with $, e.g. $.items[*].id' });
    try {
        // Filters are compiled when they first meet a value: give them some.
        for (const json of [{ a: [{ b: 1 }], c: { d: 'x' } }, [{ a: 1 }]])
            JSONPath({ path, json, wrap: true });
    }
    catch (err) {
        ctx.addIssue({ code: 'custom', message: `not a JSONPath faultmesh can read: ${err.message}` });
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
    z.array(z.union([z.number(), z.string(), z.boolean()], { error: (issue) => `each value in a tolerance list is a number, a string or true/false, not ${describeValue(issue.input)}` })).min(1, 'a tolerance list needs at least one value'),
    z.discriminatedUnion('type', [
        z.strictObject({ type: z.literal('range'), range: z.tuple([z.number(), z.number()], { error: 'range is [low, high], two numbers' }), target }),
        z.strictObject({ type: z.literal('regex'), pattern: regexPattern, target }),
        z.strictObject({ type: z.literal('jsonpath'), path: jsonPath, expect: z.unknown().optional(), count: z.number().int().min(0).optional(), target }),
        z
            .strictObject({ type: z.literal('threshold'), max: z.number().optional(), min: z.number().optional(), target })
            .refine((t) => t.max !== undefined || t.min !== undefined, 'a threshold needs max, min or both'),
        // Chaos Toolkit's probe tolerance: a probe of its own, called with the judged output as its `value` argument; it passes when its result is true (Python's truth).
        z.strictObject({ type: z.literal('probe'), name: z.string().min(1), provider: providerSchema, secrets: z.array(z.string()).optional() }),
    ], { error: 'tolerance type is range, regex, jsonpath, threshold or probe' }),
]);
//# sourceMappingURL=tolerance-schema.js.map