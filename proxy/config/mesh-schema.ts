import { z } from 'zod';
import { defaultPolicy, policySchema } from './policy-schema.js';
import { meshTracingSchema } from '../tracing/tracing-config.js';

const NAME = /^[a-z0-9]([a-z0-9-_.]*[a-z0-9])?$/i;
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE', 'CONNECT'] as const;

const SERVICE_NAME = /^[a-z0-9]([a-z0-9-_.]*[a-z0-9])?$/;

/**
 * A service name, as the Host header names it. Lower case only: a proxy
 * matches hosts case-insensitively (HTTP does), so a "Svc2" could never be
 * reached. Refused rather than folded, so the name in every file, metric and
 * fault rule is the one the user wrote.
 */
export const serviceNameSchema = z.string().regex(SERVICE_NAME, { error: (issue) => whyNotServiceName(String(issue.input)) });

/** Why a name is not a service name: capitals get their own message, with the name to write instead. */
export function whyNotServiceName(name: string): string {
  const lower = name.toLowerCase();
  return SERVICE_NAME.test(lower)
    ? `service names are lower case: hosts match case-insensitively, so "${name}" could never be reached; write "${lower}"`
    : 'service names: lower-case letters, digits, "-", "_" and ".", starting and ending with a letter or digit';
}

/** A fault rule's target: a service name, or "*" for every service. */
export const targetSchema = z.string({ error: 'target is a service name or "*"' }).regex(/^(\*|[a-z0-9]([a-z0-9-_.]*[a-z0-9])?)$/, {
  error: (issue) => whyNotServiceName(String(issue.input)),
});

export const labelsSchema = z.record(z.string(), z.string({ error: 'label values must be strings (quote numbers)' }));

/** `host:port`, with IPv6 hosts in brackets: `127.0.0.1:9301`, `[::1]:9301`, `payments.internal:80`. */
export const addressSchema = z.string().transform((text, ctx) => {
  const m = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(text);
  const port = m ? Number(m[2]) : 0;
  if (!m || port < 1 || port > 65535) {
    ctx.addIssue({ code: 'custom', message: `"${text}" is not host:port (IPv6 as [::1]:port)` });
    return z.NEVER;
  }
  const host = m[1]!.startsWith('[') ? m[1]!.slice(1, -1) : m[1]!;
  return { host, port, text };
});

const methodSchema = z
  .string()
  .transform((m) => m.toUpperCase())
  .pipe(z.enum(METHODS, { error: `method must be one of ${METHODS.join(', ')}` }));

const instanceSchema = z.strictObject({
  id: z.string().regex(NAME, 'id: letters, digits, "-", "_" and "."'),
  address: addressSchema,
  region: z.string().optional(),
  zone: z.string().optional(),
  labels: labelsSchema.default({}),
});

const routeMatchSchema = z.strictObject({
  method: z.union([methodSchema, z.array(methodSchema).min(1)]).optional(),
  path: z.string().startsWith('/', 'path globs start with "/"').optional(),
  headers: z.record(z.string(), z.string({ error: 'header values must be strings (quote numbers)' })).optional(),
});

const subsetSchema = z.strictObject({
  labels: labelsSchema,
  // 0 is a subset waiting for traffic (a canary before its first step); the route refuses all-zero below.
  weight: z.number().min(0, 'weight is 0 or more').optional(),
});

const routeSchema = z
  .strictObject({
    match: routeMatchSchema.default({}),
    deny: z.number().int().min(400, 'deny takes an HTTP status from 400 to 599').max(599, 'deny takes an HTTP status from 400 to 599').optional(),
    to: z.array(subsetSchema).min(1, 'to needs at least one subset').optional(),
  })
  .superRefine((route, ctx) => {
    if ((route.deny === undefined) === (route.to === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'a route needs exactly one of deny or to' });
    }
    const weighted = route.to?.filter((s) => s.weight !== undefined).length ?? 0;
    if (route.to && weighted > 0 && weighted < route.to.length) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'give every subset a weight, or none (equal shares)' });
    } else if (route.to && weighted > 0 && route.to.every((s) => s.weight === 0)) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'at least one subset needs a weight above 0' });
    }
  });

/** The forwarders a proxy or a service may name (`--forwarder`, a service's `forwarder:`); see forward/forwarder.ts. */
export const FORWARDER_KINDS = ['undici', 'hpm'] as const;
export type ForwarderKind = (typeof FORWARDER_KINDS)[number];

/** How a service's instances are reached: `mutual` through their inbound sidecars over mTLS, `off` in plain HTTP (unset: off). */
export const TLS_MODES = ['mutual', 'off'] as const;
export type TlsMode = (typeof TLS_MODES)[number];

/** A caller an allow rule names: a service name, or "*" for any caller with a verified identity (proxy/authz/policy.ts). */
const callerSchema = z.string({ error: 'from lists service names or "*"' }).regex(/^(\*|[a-z0-9]([a-z0-9-_.]*[a-z0-9])?)$/, {
  error: (issue) => `${whyNotServiceName(String(issue.input))} (or "*" for any authenticated service)`,
});

/** An empty list would match nothing and read like "any": refused, so "any" is always written by omitting the field. */
const nonEmpty = <T extends z.ZodType>(item: T, field: string) => z.array(item).min(1, `[] matches nothing; omit ${field} to mean any`);

/** One allow rule: every field given must match; a field left out matches anything. */
const allowRuleSchema = z.strictObject({
  from: nonEmpty(callerSchema, 'from').optional(),
  methods: nonEmpty(methodSchema, 'methods').optional(),
  paths: nonEmpty(z.string().startsWith('/', 'path globs start with "/"'), 'paths').optional(),
});

/**
 * Who may call a service. Unset: every caller. Set: only what a rule of
 * `allow` matches, so `allow: []` refuses every call (a service closed
 * while keeping its instances).
 */
const authorizationSchema = z.strictObject({ allow: z.array(allowRuleSchema) });
export type AuthorizationConfig = z.output<typeof authorizationSchema>;

const serviceShape = z.strictObject({
  policy: policySchema.default(defaultPolicy),
  /** How this service's calls are sent: undici (fast, the default) or http-proxy-middleware; unset: the proxy's --forwarder. */
  forwarder: z.enum(FORWARDER_KINDS, { error: `forwarder is ${FORWARDER_KINDS.join(' or ')}` }).optional(),
  /** Whether callers reach this service's instances over mutual TLS (their inbound sidecars) or plain HTTP; unset: off, so a mesh migrates one service at a time. */
  tls: z.enum(TLS_MODES, { error: `tls is ${TLS_MODES.join(' or ')}` }).optional(),
  /** Checked by the service's inbound sidecar against the caller's verified identity (proxy/authz/policy.ts). */
  authorization: authorizationSchema.optional(),
  instances: z.array(instanceSchema).default([]),
  routes: z.array(routeSchema).default([]),
});

/** Route subsets that no instance of the service has the labels for, as paths within the service. */
export function subsetsWithoutInstances(service: Pick<z.output<typeof serviceShape>, 'instances' | 'routes'>): Array<{ path: Array<string | number>; message: string }> {
  const out: Array<{ path: Array<string | number>; message: string }> = [];
  service.routes.forEach((route, r) =>
    route.to?.forEach((subset, s) => {
      if (!service.instances.some((inst) => hasLabels(inst.labels, subset.labels))) out.push({ path: ['routes', r, 'to', s, 'labels'], message: `no instance has labels ${JSON.stringify(subset.labels)}` });
    }),
  );
  return out;
}

/**
 * `awaitInstances`: a subset no instance has the labels for is not refused
 * (the control plane's mesh, whose instances register later; the caller
 * warns with subsetsWithoutInstances). A file a proxy reads refuses it.
 */
const serviceSchema = (awaitInstances: boolean) =>
  serviceShape.superRefine((service, ctx) => {
    const seen = new Map<string, number>();
    service.instances.forEach((inst, i) => {
      if (seen.has(inst.id)) ctx.addIssue({ code: 'custom', path: ['instances', i, 'id'], message: `duplicate instance id "${inst.id}" (first at instances[${seen.get(inst.id)}])` });
      else seen.set(inst.id, i);
    });
    if (!awaitInstances) for (const issue of subsetsWithoutInstances(service)) ctx.addIssue({ code: 'custom', ...issue });
    // The mTLS connector is undici's (proxy/transport/tls-connector.ts).
    if (service.forwarder === 'hpm' && service.tls === 'mutual') ctx.addIssue({ code: 'custom', path: ['forwarder'], message: 'forwarder: hpm cannot do tls: mutual; remove forwarder: (undici is the default) or set tls: off' });
  });

const meshSchemaFor = (awaitInstances: boolean) =>
  z.strictObject({
    customerHeader: z.string().regex(/^[a-z0-9-]+$/i, 'customerHeader must be a header name').transform((h) => h.toLowerCase()).default('x-customer-id'),
    services: z.record(serviceNameSchema, serviceSchema(awaitInstances)),
    /** Where every proxy of the mesh sends its spans, unless its own flags say otherwise (proxy/tracing). */
    tracing: meshTracingSchema.optional(),
  });

export const meshSchema = meshSchemaFor(false);
/** The mesh as the control plane holds it: route subsets may wait for instances that register later. */
export const meshAwaitingInstancesSchema = meshSchemaFor(true);

export type MeshConfig = z.output<typeof meshSchema>;
export type ServiceConfig = MeshConfig['services'][string];
export type InstanceConfig = ServiceConfig['instances'][number];
export type RouteConfig = ServiceConfig['routes'][number];
export type Address = z.output<typeof addressSchema>;

/** True when every label in `wanted` is present with the same value. */
export function hasLabels(labels: Readonly<Record<string, string>>, wanted: Readonly<Record<string, string>>): boolean {
  for (const key in wanted) if (labels[key] !== wanted[key]) return false;
  return true;
}
