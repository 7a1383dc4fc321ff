import { z } from 'zod';
import { checkDuration, MAX_WAIT_MS } from '../../proxy/config/duration.js';
import { serviceNameSchema } from '../../proxy/config/mesh-schema.js';
import { activitySchema } from '../experiment/activity-schema.js';
import { experimentSchema } from '../experiment/experiment-schema.js';
import { providerSchema } from '../experiment/provider-schema.js';
/** The most steps a canary may take: `stepWeight: 0.01` would otherwise ask for ten thousand. */
export const MAX_STEPS = 100;
const NAME = /^[a-z0-9][a-z0-9._-]*$/;
/**
 * A duration with its unit (`30s`, `2m`). A bare number is refused with the
 * hint, not taken as seconds: `interval: 30` could as well mean minutes.
 */
const duration = z.union([z.string(), z.number()]).transform((v, ctx) => {
    const check = checkDuration(v, MAX_WAIT_MS);
    if (check.ok)
        return check.ms;
    ctx.addIssue({ code: 'custom', message: check.message });
    return z.NEVER;
});
const positiveDuration = duration.refine((ms) => ms > 0, 'must be above 0');
const labels = z
    .record(z.string().min(1, 'label names are not empty'), z.string({ error: 'label values must be strings (quote numbers)' }))
    .refine((l) => Object.keys(l).length > 0, 'name at least one label, or the subset would be every instance')
    .meta({ minProperties: 1 });
const inRange = (w) => w > 0 && w <= 100;
const weight = z.number().gt(0, 'a canary weight is a percentage above 0').max(100, 'a canary weight is at most 100');
/** `{stepWeight, maxWeight}`: stepWeight, twice that, ... up to maxWeight, which is always the last step. */
const stepRange = z
    .strictObject({ stepWeight: weight, maxWeight: weight })
    .superRefine((s, ctx) => {
    if (s.stepWeight > s.maxWeight)
        ctx.addIssue({ code: 'custom', path: ['stepWeight'], message: 'stepWeight is at most maxWeight' });
    else if (Math.ceil(s.maxWeight / s.stepWeight - 1e-9) > MAX_STEPS)
        ctx.addIssue({ code: 'custom', path: ['stepWeight'], message: `that makes more than ${MAX_STEPS} steps; take a larger stepWeight` });
})
    .transform((s) => expandSteps(s.stepWeight, s.maxWeight));
/** stepWeight, 2 x stepWeight, ... while under maxWeight, then maxWeight; rounded so 3 x 0.1 is 0.3. */
export function expandSteps(stepWeight, maxWeight) {
    const out = [];
    for (let k = 1;; k++) {
        const w = Math.round(k * stepWeight * 1e6) / 1e6;
        if (w >= maxWeight - 1e-9)
            break;
        out.push(w);
    }
    out.push(maxWeight);
    return out;
}
const stepList = z
    .array(weight)
    .min(1, 'give at least one step')
    .max(MAX_STEPS, `at most ${MAX_STEPS} steps`)
    .superRefine((steps, ctx) => {
    steps.forEach((w, i) => {
        const prev = steps[i - 1];
        // A weight out of range is reported as that; comparing it too would say the same thing twice.
        if (prev !== undefined && inRange(w) && inRange(prev) && w <= prev)
            ctx.addIssue({ code: 'custom', path: [i], message: `steps increase strictly: ${w} does not follow ${prev}` });
    });
});
/** A gate as an experiment writes it: a probe with a tolerance (no `{ref}`: a canary has nothing to refer to). */
const probe = activitySchema.superRefine((a, ctx) => {
    if (a.type !== 'probe')
        ctx.addIssue({ code: 'custom', path: ['type'], message: 'only probes go here' });
    else if (a.tolerance === undefined)
        ctx.addIssue({ code: 'custom', path: ['tolerance'], message: 'this probe needs a tolerance: what its output must be' });
});
const analysis = z
    .strictObject({
    /** For every test and interval. */
    confidence: z.number().gt(0.5, 'confidence is above 0.5 and below 1, for example 0.95').lt(1, 'confidence is above 0.5 and below 1, for example 0.95').default(0.95),
    errorRatio: z.strictObject({ maxIncrease: z.number().min(0, 'maxIncrease is a fraction from 0 to 1 (0.01 is one point)').max(1, 'maxIncrease is a fraction from 0 to 1 (0.01 is one point)') }).optional(),
    latency: z
        .strictObject({
        quantile: z.number().gt(0, 'quantile is above 0 and below 1, for example 0.99').lt(1, 'quantile is above 0 and below 1, for example 0.99'),
        maxRatio: z.number().min(1, 'maxRatio is 1 or more: how many times stable\'s latency the canary may take'),
    })
        .optional(),
    probes: z.array(probe).default([]),
})
    .transform((a) => (a.errorRatio || a.latency ? a : { ...a, errorRatio: { maxIncrease: 0.01 } }));
const chaosStage = z.strictObject({
    at: weight.describe('One of the steps\' weights: the stage runs at that weight, before the canary takes more.'),
    experiment: z.string().min(1).describe('An experiment file, relative to this file; its faults are aimed at the canary.'),
    vars: z.record(z.string(), z.unknown()).optional().describe('`${name}` values for the experiment, as --var gives them; control is this file\'s unless set here.'),
});
// Taken from the provider union (which does not export it) so the two can never drift apart.
const loadProvider = providerSchema.options.find((o) => 'shape' in o && o.shape.type.value === 'load');
if (!loadProvider)
    throw new Error('provider-schema.ts has no load provider');
const load = loadProvider.omit({ type: true, target: true, duration: true });
const httpUrl = z.url({ protocol: /^https?$/, error: 'an http:// or https:// URL' });
const sameLabels = (a, b) => Object.keys(a).length === Object.keys(b).length && Object.keys(a).every((k) => b[k] === a[k]);
/** Two label maps can hold one instance unless some label both name has different values. */
const overlap = (a, b) => !Object.keys(a).some((k) => k in b && a[k] !== b[k]);
/**
 * A canary release as its file says it (YAML or JSON): which subset of a
 * service is stable and which is the canary, the weights it walks through,
 * how each step is judged, and optional chaos stages and load.
 */
export const canarySchema = z
    .strictObject({
    name: z.string().regex(NAME, 'a canary name: lower-case letters, digits, ".", "_" and "-", starting with a letter or digit').max(100).describe('The canary\'s name, as `faultmesh canary abort NAME` and `status` give it.'),
    service: serviceNameSchema.describe('The service released, as the mesh names it.'),
    route: z.number().int('route is the index of one of the service\'s routes').min(0, 'route is the index of one of the service\'s routes').optional().describe('Index of the service\'s route whose split is driven; by default its only route with `to`.'),
    stable: labels.describe('Labels of the stable subset\'s instances, e.g. { version: v1 }.'),
    canary: labels.describe('Labels of the canary subset\'s instances, e.g. { version: v2 }; a label both name must differ.'),
    steps: z.union([stepList, stepRange]).describe('Canary weights in %, strictly increasing, e.g. [5, 10, 25, 50]; or { stepWeight: 10, maxWeight: 50 } for 10, 20, ... 50. After the last step passes, the canary takes 100%.'),
    interval: positiveDuration.describe('How long each step lasts at least, and the window each judgement covers: a duration such as 30s.'),
    minRequests: z.number().int('minRequests is a whole number').min(1, 'minRequests is 1 or more').default(100).describe('Requests each subset needs in a window; with fewer, the window is "insufficient data", never a pass.'),
    maxWait: positiveDuration.optional().describe('How long a step may lack data before the canary is rolled back; 4 x interval by default.'),
    analysis: analysis.prefault({}).describe('How the canary is judged against stable. With neither errorRatio nor latency, errorRatio { maxIncrease: 0.01 } is used: the mesh\'s own measurements always judge.'),
    failedChecks: z.number().int('failedChecks is a whole number').min(1, 'failedChecks is 1 or more').default(2).describe('Failed judgements (over the whole run) at which the canary is rolled back.'),
    chaos: z.array(chaosStage).default([]).describe('Experiments run against the canary at a step\'s weight, before it takes more; each one\'s hypothesis must hold.'),
    load: load.optional().describe('Extra traffic to the service while the canary runs, so each step has requests to judge: the load provider\'s fields without target and duration.'),
    control: httpUrl.optional().describe('The control plane the weights (and gates, and chaos faults) go through; or admins, not both.'),
    admins: z.array(httpUrl).min(1, 'name at least one proxy admin URL').optional().describe('The admin APIs of every proxy that calls the service, when there is no control plane.'),
    configuration: experimentSchema.shape.configuration,
    secrets: experimentSchema.shape.secrets,
})
    .superRefine((c, ctx) => {
    // An empty map is reported as that; that it overlaps everything would say it twice.
    const named = Object.keys(c.stable).length > 0 && Object.keys(c.canary).length > 0;
    if (named && overlap(c.stable, c.canary)) {
        const same = sameLabels(c.stable, c.canary);
        ctx.addIssue({ code: 'custom', path: ['canary'], message: same ? 'the canary\'s labels are the stable\'s: nothing would be compared' : 'stable and canary must give different values to a label they both name (version: v1 and version: v2), or one instance could be in both' });
    }
    if (c.control !== undefined && c.admins !== undefined)
        ctx.addIssue({ code: 'custom', path: ['admins'], message: 'name the control plane (control) or the proxies (admins), not both' });
    const seen = new Set();
    c.chaos.forEach((stage, i) => {
        if (!c.steps.includes(stage.at))
            ctx.addIssue({ code: 'custom', path: ['chaos', i, 'at'], message: `${stage.at} is not one of the steps (${c.steps.join(', ')})` });
        else if (seen.has(stage.at))
            ctx.addIssue({ code: 'custom', path: ['chaos', i, 'at'], message: `a chaos stage at ${stage.at} is already given; put both faults in one experiment` });
        seen.add(stage.at);
    });
    if (c.maxWait !== undefined && c.maxWait < c.interval)
        ctx.addIssue({ code: 'custom', path: ['maxWait'], message: 'maxWait is at least the interval: a step needs one full window before it can be judged' });
});
//# sourceMappingURL=canary-schema.js.map