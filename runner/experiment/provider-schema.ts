import { parse as parseShell } from 'shell-quote';
import { z } from 'zod';
import { MAX_SPAN_MS, MAX_WAIT_MS, secondsOrDurationUpTo } from '../../proxy/config/duration.js';
import { serviceNameSchema } from '../../proxy/config/mesh-schema.js';
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
  timeout: z.union([timeout, z.tuple([timeout, timeout])]).optional(),
  verify_tls: z.boolean().default(true),
  expected_status: z.number().int().optional(),
});

/** Chaos Toolkit's process provider: returns {status, stdout, stderr}. */
const shellWords = z.string().transform((line, ctx) => {
  // Split as a shell would, but run no shell: variables stay as written, operators are refused.
  const words = parseShell(line, (name) => `$${name}`);
  const op = words.find((w) => typeof w !== 'string');
  if (op) {
    ctx.addIssue({ code: 'custom', message: `arguments are split as a shell would, but no shell runs: ${JSON.stringify(op)} is not supported; run a script instead` });
    return z.NEVER;
  }
  return words as string[];
});

const processProvider = z.strictObject({
  type: z.literal('process'),
  path: z.string().min(1),
  arguments: z.union([shellWords, z.array(z.union([z.string(), z.number()]).transform(String))]).default([]),
  /** In ms once parsed. */
  timeout: timeout.optional(),
});

/** A rule as the fault layer takes it, without a ttl: the runner holds it under its own short lease for the fault's duration. */
const runnerRule = faultRuleShape
  .omit({ ttl: true })
  .extend({ ttl: z.never({ error: 'leave ttl out: the runner holds the rule under a short lease for the fault\'s duration' }).optional() })
  .superRefine(checkActions)
  .transform(({ ttl: _ttl, ...rule }) => rule);

const faultProvider = z.strictObject({
  type: z.literal('fault'),
  admin: admins,
  rule: runnerRule,
  duration: spanSecondsOrDuration.refine((ms) => ms > 0, 'duration must be above 0'),
  /** Admin token of the proxies; FAULTMESH_ADMIN_TOKEN when absent. */
  token: z.string().optional(),
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

/** Refused by name at validation: faultmesh runs no Python. */
const pythonProvider = z.looseObject({ type: z.literal('python') });

export const SUPPORTED_PROVIDERS = ['http', 'process', 'fault', 'metric', 'load', 'prometheus'] as const;

export const providerSchema = z.discriminatedUnion('type', [httpProvider, processProvider, faultProvider, metricProvider, loadProvider, prometheusProvider, pythonProvider], {
  error: `provider type is one of ${SUPPORTED_PROVIDERS.join(', ')}`,
});

export type Provider = Exclude<z.output<typeof providerSchema>, { type: 'python' }>;
export type ProviderOf<T extends Provider['type']> = Extract<Provider, { type: T }>;
