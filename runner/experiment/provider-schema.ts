import { z } from 'zod';
import { describeValue } from '../../proxy/config/config-error.js';
import { MAX_SPAN_MS, MAX_WAIT_MS, secondsOrDurationUpTo } from '../../proxy/config/duration.js';
import { serviceNameSchema } from '../../proxy/config/mesh-schema.js';
import { istioFaultBlockSchema, ruleFromIstioBlock } from '../../importers/istio/experiment-block.js';
import { checkActions, faultRuleShape } from '../../proxy/faults/fault-rule-schema.js';

/** Seconds as Chaos Toolkit writes them (`5`, `0.5`), or a duration string (`5s`, `250ms`); yields ms. A wait: at most 24h. */
export const secondsOrDuration = secondsOrDurationUpTo(MAX_WAIT_MS);
/** The same, for how long an activity holds a fault, runs load or pauses: at most 7 days. */
export const spanSecondsOrDuration = secondsOrDurationUpTo(MAX_SPAN_MS);
/** A provider's timeout: seconds as Chaos Toolkit writes them or a duration string, above 0 and at most 24h; yields ms. */
const timeout = secondsOrDuration.refine((ms) => ms > 0, 'a timeout must be above 0');

const httpUrl = z.url({ protocol: /^https?$/, error: 'an http:// or https:// URL' });
const admins = z.union([httpUrl.transform((u) => [u]), z.array(httpUrl).min(1, 'name at least one proxy admin URL')]);
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'] as const;
const method = z
  .string()
  .transform((m) => m.toUpperCase())
  .pipe(z.enum(METHODS, { error: `method is one of ${METHODS.join(', ')}` }));

/** Chaos Toolkit's http provider: returns {status, headers, body}. */
const httpProvider = z.strictObject({
  type: z.literal('http'),
  url: httpUrl,
  method: method.default('GET'),
  headers: z.record(z.string(), z.string()).optional(),
  /** Query parameters for GET, a JSON body otherwise. */
  arguments: z.unknown().optional(),
  /** One limit for the whole call, or [connect, read]; in ms once parsed. */
  timeout: z.union([timeout, z.tuple([timeout, timeout], { error: 'timeout is one limit (seconds or a duration) or two, [connect, read]' })], { error: (issue) => `timeout is seconds, a duration or [connect, read], not ${describeValue(issue.input)}` }).optional(),
  verify_tls: z.boolean().default(true),
  expected_status: z.number().int().optional(),
});

const ARGUMENT = 'a string, number, boolean or null';
/**
 * An argument as Chaos Toolkit passes it to the program: `str()` of it
 * (`true` is `True`, as Python writes it); null and "" are left out. A list
 * or mapping would reach the program as Python's repr of it: refused.
 */
const processArgument = (where: string) => z.union([z.string(), z.number(), z.boolean(), z.null()], { error: (issue) => `${where} is ${ARGUMENT}, not ${describeValue(issue.input)}` });
const asArgv = (items: ReadonlyArray<string | number | boolean | null>): string[] =>
  items.filter((a) => a !== null && a !== '').map((a) => (typeof a === 'boolean' ? (a ? 'True' : 'False') : String(a)));

/**
 * A list or mapping argument that a whole `${name}` filled: what it gave
 * and what to write instead, after the schema's own words (`not a list`),
 * e.g. `arguments: ["${flags}"]` with flags a list.
 */
export function explainWrittenArgument(path: readonly PropertyKey[], written: unknown, message: string): string {
  const name = typeof written === 'string' ? /^\$\{([^}]+)\}$/.exec(written)?.[1] : undefined;
  const inArguments = path.at(-2) === 'arguments' && path.at(-3) === 'provider';
  const gave = / is a string, number, boolean or null, not (a list|a mapping)$/.exec(message);
  if (!name || !inArguments || !gave) return message;
  const whole = typeof path.at(-1) === 'number' && gave[1] === 'a list' ? `: write arguments: \${${name}} to pass the list` : '';
  return `${message.slice(0, gave.index)} is ${ARGUMENT}; \${${name}} gave ${gave[1]}${whole}`;
}

/**
 * Chaos Toolkit's process provider: returns {status, stdout, stderr}. A
 * string of arguments runs through a shell, as Chaos Toolkit's `shell=True`
 * does, so it is kept as written; a list (or a mapping, flattened to
 * key, value, ...) is the argv, with no shell.
 */
const processProvider = z.strictObject({
  type: z.literal('process'),
  path: z.string().min(1),
  arguments: z
    .union(
      [
        z.string(),
        z.array(processArgument('each argument in a list')).transform(asArgv),
        z.record(z.string(), processArgument('each value of an arguments mapping')).transform((pairs) => asArgv(Object.entries(pairs).flat())),
      ],
      { error: (issue) => `arguments is a string (run through a shell), a list of arguments or a mapping of flags to values, not ${describeValue(issue.input)}` },
    )
    .default([]),
  /** In ms once parsed. */
  timeout: timeout.optional(),
});

/** A rule as the fault layer takes it, without a ttl: the runner holds it under its own short lease for the fault's duration. */
const runnerRule = faultRuleShape
  .omit({ ttl: true, origin: true, traceparent: true })
  .extend({ ttl: z.never({ error: 'leave ttl out: the runner holds the rule under a short lease for the fault\'s duration' }).optional() })
  .superRefine(checkActions)
  .transform(({ ttl: _ttl, ...rule }) => rule);
type RunnerRule = z.output<typeof runnerRule>;

const ruleShape = faultRuleShape.shape;
/**
 * `rule` as written. Alone, it is a whole rule (checked as runnerRule in
 * faultProvider); beside `istio`, it gives what Istio has no word for:
 * target, id, seed, maxActive, phase, more match keys. Defaults are applied
 * in faultProvider, so a percentage given can be told from one implied.
 */
const ruleAsWritten = faultRuleShape
  .omit({ ttl: true, origin: true, traceparent: true })
  .partial()
  .extend({
    match: ruleShape.match.unwrap().optional(),
    percentage: ruleShape.percentage.unwrap().optional(),
    phase: ruleShape.phase.unwrap().optional(),
    ttl: z.never({ error: 'leave ttl out: the runner holds the rule under a short lease for the fault\'s duration' }).optional(),
  });

/** `rule` alone: required target, the shape's defaults, and the checks across fields, as runnerRule gives them. */
function wholeRule(rule: z.output<typeof ruleAsWritten> | undefined, ctx: z.RefinementCtx): RunnerRule | undefined {
  if (!rule) return void ctx.addIssue({ code: 'custom', path: ['rule'], message: 'give rule (a faultmesh fault rule) or istio (an Istio VirtualService route\'s fault: { host, match, fault })' });
  if (rule.target === undefined) return void ctx.addIssue({ code: 'custom', path: ['rule', 'target'], message: 'required field is missing' });
  const { ttl: _ttl, ...rest } = rule;
  const whole = { ...rest, target: rule.target, match: rule.match ?? ruleShape.match.parse(undefined), percentage: rule.percentage ?? ruleShape.percentage.parse(undefined), phase: rule.phase ?? ruleShape.phase.parse(undefined) };
  const before = ctx.issues.length;
  checkActions(whole, { ...ctx, addIssue: (issue) => ctx.addIssue(typeof issue === 'string' ? issue : { ...issue, path: ['rule', ...(issue.path ?? [])] }) } as z.RefinementCtx);
  return ctx.issues.length > before ? undefined : whole;
}

/**
 * `istio` (an Istio route's fault block, importers/istio/experiment-block.ts)
 * instead of `rule`, or beside it; either way one rule, held under the
 * runner's lease for `duration`, as any fault activity.
 */
const faultProvider = z
  .strictObject({
    type: z.literal('fault'),
    admin: admins,
    rule: ruleAsWritten.optional(),
    istio: istioFaultBlockSchema.optional(),
    duration: spanSecondsOrDuration.refine((ms) => ms > 0, 'duration must be above 0'),
    /** Admin token of the proxies; FAULTMESH_ADMIN_TOKEN when absent. */
    token: z.string().optional(),
  })
  .transform(({ rule, istio, ...p }, ctx) => {
    const report = (at: string) => (path: readonly PropertyKey[], message: string) => ctx.addIssue({ code: 'custom', path: [at, ...path], message });
    if (!istio) {
      const whole = wholeRule(rule, ctx);
      return whole ? { ...p, rule: whole } : z.NEVER;
    }
    const written = ruleFromIstioBlock(istio, rule, { istio: report('istio'), rule: report('rule') });
    const parsed = written && runnerRule.safeParse(written);
    if (parsed && !parsed.success) for (const issue of parsed.error.issues) report('istio')([], `the translated rule is refused at ${issue.path.join('.')}: ${issue.message}`);
    return parsed?.success ? { ...p, rule: parsed.data } : z.NEVER;
  });

export const MEASURES = ['success-ratio', 'error-ratio', 'rate', 'latency-p50', 'latency-p95', 'latency-p99'] as const;

const metricProvider = z.strictObject({
  type: z.literal('metric'),
  admin: admins,
  // Metrics label services as the mesh names them, in lower case: "Payments" would find no data.
  destination: serviceNameSchema,
  measure: z.enum(MEASURES, { error: `measure is one of ${MEASURES.join(', ')}` }),
  window: secondsOrDuration.refine((ms) => ms > 0, 'window must be above 0').default(10_000),
  source: serviceNameSchema.optional(),
  instance: z.string().min(1).optional(),
}).refine((m) => !(m.instance && m.measure.startsWith('latency')), { path: ['instance'], message: 'latency is recorded per destination and source, not per instance; leave instance out' });

const loadProvider = z.strictObject({
  type: z.literal('load'),
  proxy: httpUrl,
  target: z.string().min(1),
  rate: z.number().positive('rate is requests per second, above 0').max(10_000, 'rate is at most 10000 requests per second'),
  duration: spanSecondsOrDuration.refine((ms) => ms > 0, 'duration must be above 0'),
  paths: z.array(z.string().startsWith('/', 'paths start with "/"')).min(1).default(['/']),
  method: method.default('GET'),
  customers: z.array(z.string().min(1)).min(1).optional(),
  customerHeader: z.string().min(1).default('x-customer-id'),
  headers: z.record(z.string(), z.string()).optional(),
  /** Each request's own limit. */
  timeout: secondsOrDuration.default(10_000),
});

const prometheusProvider = z.strictObject({
  type: z.literal('prometheus'),
  url: httpUrl,
  query: z.string().min(1),
  timeout: secondsOrDuration.default(10_000),
});

/**
 * Chaos Toolkit's python provider: `module.func(**arguments)` in a Python
 * child process (runner/python/), its return value the output. `secrets`
 * names the scopes passed as `secrets` when the function takes it.
 */
const pythonProvider = z.strictObject({
  type: z.literal('python'),
  module: z.string().regex(/^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)*$/, 'module is a dotted Python module path, e.g. chaosk8s.pod.actions'),
  func: z.string().regex(/^[A-Za-z_]\w*$/, 'func is the name of a function in the module'),
  arguments: z.record(z.string(), z.unknown(), { error: 'arguments of a python provider are a mapping of keyword arguments' }).default({}),
  secrets: z.array(z.string()).optional(),
  /** In ms once parsed; 5 minutes when absent (runner/providers/python.ts). */
  timeout: timeout.optional(),
});

export const SUPPORTED_PROVIDERS = ['http', 'process', 'python', 'fault', 'metric', 'load', 'prometheus'] as const;

export const providerSchema = z.discriminatedUnion('type', [httpProvider, processProvider, faultProvider, metricProvider, loadProvider, prometheusProvider, pythonProvider], {
  error: `provider type is one of ${SUPPORTED_PROVIDERS.join(', ')}`,
});

export type Provider = z.output<typeof providerSchema>;
export type ProviderOf<T extends Provider['type']> = Extract<Provider, { type: T }>;
