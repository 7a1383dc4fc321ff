import { addressSchema, serviceNameSchema } from '../../proxy/config/mesh-schema.js';

// The starter files `faultmesh init` writes: a mesh file naming the user's
// services and an experiment against the first one, each field commented,
// both valid as written (init checks them with `validate`'s loaders).

/** One service the user named, with the addresses of its instances. */
export interface StarterService {
  readonly name: string;
  readonly addresses: readonly string[];
}

export interface StarterPlan {
  readonly services: readonly StarterService[];
  /** The region of every instance, for locality and region faults; none when not given. */
  readonly region?: string | undefined;
  /** The sidecar's listener and admin API (host:port) the experiment's defaults point at; SIDECAR_DEFAULTS when not given. */
  readonly listen?: string | undefined;
  readonly admin?: string | undefined;
}

/**
 * Where init's sidecar listens unless told otherwise: not the proxy's own
 * defaults (15001, 15000), which the demo's ingress holds, so a user can try
 * their own mesh while the demo runs.
 */
export const SIDECAR_DEFAULTS = { listen: '127.0.0.1:16001', admin: '127.0.0.1:16000' } as const;

/** Why `NAME=HOST:PORT` cannot be used, or undefined when it can; the words name what to write instead. */
export function checkServiceName(name: string): string | undefined {
  const r = serviceNameSchema.safeParse(name);
  return r.success ? undefined : (r.error.issues[0]?.message ?? 'not a service name');
}

export function checkAddress(address: string): string | undefined {
  const r = addressSchema.safeParse(address);
  return r.success ? undefined : (r.error.issues[0]?.message ?? 'not host:port');
}

/**
 * Adds `name`'s instance at `address` to the plan's services (a name given
 * again is another instance of it); the reason when either is refused.
 */
export function addInstance(services: StarterService[], name: string, address: string): string | undefined {
  const bad = checkServiceName(name) ?? checkAddress(address);
  if (bad) return bad;
  const i = services.findIndex((s) => s.name === name);
  if (i === -1) services.push({ name, addresses: [address] });
  else services[i] = { name, addresses: [...services[i]!.addresses, address] };
  return undefined;
}

/** A YAML scalar that stays a string whatever it holds. */
const q = (s: string) => JSON.stringify(s);

/** The column comments start at, so a file reads as two columns: the YAML, then why. */
const COMMENT_AT = 52;
/** A line of YAML with its comment aligned; none for services after the first, which repeat the first's shape. */
const commented = (code: string, comment: string | false) => (comment ? `${code.padEnd(COMMENT_AT - 1)} # ${comment}` : code);

/** The mesh file: the first service with every field explained, the others in the same shape without repeating it. */
export function starterMesh(plan: StarterPlan): string {
  const region = plan.region ? `, region: ${q(plan.region)}` : '';
  const lines = [
    '# A faultmesh mesh file, written by `faultmesh init`: your services and where',
    '# their instances listen. A sidecar (`faultmesh proxy --mesh mesh.yaml`) sends',
    '# each call to one instance of the service its Host header names.',
    '# Check it: faultmesh validate mesh.yaml',
    commented('customerHeader: x-customer-id', 'the request header naming the customer (fault rules match it)'),
    'services:',
  ];
  plan.services.forEach((s, n) => {
    const first = n === 0;
    lines.push(
      commented(`  ${s.name}:`, first && 'the name callers put in the Host header (lower case)'),
      commented('    policy:', first && 'optional; every key has a default (README: Resilience)'),
      commented('      timeout: 5s', first && 'the whole call, retries included'),
      commented('      retries:', first && 'extra tries, on another instance when there is one'),
      commented('        attempts: 2', first && 'after the first try; 0 turns retries off'),
      commented('        retryOn: [connect-failure, gateway-error]', first && 'refused connections, 502/503/504, timeouts'),
      commented('      outlierDetection: { consecutive5xx: 5 }', first && 'eject an instance after 5 failures in a row'),
      commented('    instances:', first && 'id: unique in the service; address: host:port'),
    );
    s.addresses.forEach((address, i) => lines.push(`      - { id: ${s.name}-${i + 1}, address: ${q(address)}${region} }`));
  });
  return `${lines.join('\n')}\n`;
}

/**
 * The experiment: the first service keeps answering while 10% of its calls
 * fail, with test traffic through the sidecar, so it runs before any real
 * traffic does; a safeguard stops it early if things go badly.
 */
export function starterExperiment(plan: StarterPlan): string {
  const svc = plan.services[0]!.name;
  const listen = plan.listen ?? SIDECAR_DEFAULTS.listen;
  const admin = plan.admin ?? SIDECAR_DEFAULTS.admin;
  return `# A faultmesh experiment (Chaos Toolkit's format), written by \`faultmesh init\`.
# The steady state is checked, a fault is injected through the sidecar, the
# steady state is checked again, and the fault is removed whatever happens.
#   faultmesh validate experiment.yaml mesh.yaml      # both files, checked together
#   faultmesh run experiment.yaml --dry-run           # what would be injected where; touches nothing
#   faultmesh run experiment.yaml --report report.html   # exit 0: the hypothesis held
title: ${svc} keeps answering when 10% of its calls fail
description: 10% of calls to ${svc} get a 503 from the sidecar; its retries keep at least 99% of requests succeeding.
configuration:                     # the values of \${name} below; --var NAME=VALUE overrides one
  admin: { type: env, key: FAULTMESH_ADMIN, default: "http://${admin}" }   # the sidecar's admin API (faultmesh proxy --admin)
  proxy: { type: env, key: FAULTMESH_PROXY, default: "http://${listen}" }   # the sidecar's listener (faultmesh proxy --listen), where the test traffic goes
  duration: 30s                    # how long the fault holds
steady-state-hypothesis:
  title: ${svc} answers at least 99% of requests
  during: every 10s                # also checked while the fault holds, not only before and after
  probes:
    - type: probe
      name: ${svc}-success-ratio
      # 10 requests a second for 5 s through the sidecar; the share that succeeded must be 0.99 or more
      tolerance: { type: threshold, min: 0.99, target: successRatio }
      provider: { type: load, proxy: "\${proxy}", target: ${svc}, rate: 10, duration: 5s }
method:
  - type: action
    name: ${svc}-503-for-10-percent
    background: true               # the method goes on while the fault holds
    provider:
      type: fault
      admin: \${admin}              # where to inject: one admin URL, or a list for every sidecar
      # any fault rule (README: Fault injection) without a ttl: the run holds it for duration
      rule: { target: ${svc}, percentage: 10, abort: { status: 503 } }
      duration: \${duration}
  - type: action
    name: traffic-during-the-fault
    provider: { type: load, proxy: "\${proxy}", target: ${svc}, rate: 10, duration: "\${duration}" }
safeguards:                        # checked every 2 s during the method; one that fails stops the run and removes the fault
  - type: probe
    name: ${svc}-error-ratio-below-50-percent
    tolerance: { type: threshold, max: 0.5 }
    provider: { type: metric, admin: "\${admin}", destination: ${svc}, measure: error-ratio, window: 5s }
`;
}
