import { containersOf, isObj, listAt, objAt, podOf, type Manifest, type Obj } from './manifest-rules.js';

/**
 * A faultmesh container's command line as the process would receive it:
 * Kubernetes expands `$(VAR)` in `args` from the container's env, and the
 * env's downward-API values are the pod's own (stood in for by plausible
 * test values here) and its secrets' keys.
 */
export interface ContainerArgv {
  /** `file:line Kind name container` */
  readonly where: string;
  readonly args: readonly string[];
  /** The container's env as the process would see it. */
  readonly env: Readonly<Record<string, string>>;
  /** A `command` would replace the image's entrypoint (the CLI), and `args` would no longer be faultmesh's. */
  readonly hasCommand: boolean;
}

/** What the downward API would give a pod of these manifests. */
export const POD_FIELDS: Readonly<Record<string, string>> = {
  'metadata.name': 'checkout-7d9f8b6c5-x2k4z',
  'metadata.namespace': 'shop',
  'metadata.uid': '3f1c2a9e-5b7d-4c1e-9a2f-0d6b8e4c7a15',
  'spec.nodeName': 'node-1',
  'spec.serviceAccountName': 'default',
  'status.hostIP': '10.0.0.7',
  'status.podIP': '10.1.2.3',
  'status.podIPs': '10.1.2.3',
};

/** The image's repository is faultmesh's (`faultmesh:0.1.0`, `registry.example/team/faultmesh:0.1.0`). */
export const isFaultmeshImage = (image: unknown): boolean => typeof image === 'string' && /(^|\/)faultmesh(:[\w.-]+)?(@sha256:[0-9a-f]+)?$/.test(image);

/** `$(VAR)` replaced from `vars`; `$$(VAR)` is Kubernetes' escape for a literal `$(VAR)`. */
export function expand(text: string, vars: Readonly<Record<string, string>>): string {
  return text.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (all, name: string | undefined) => (all === '$$' ? '$' : name !== undefined && name in vars ? vars[name]! : all));
}

function secretValues(all: readonly Manifest[]): Map<string, Record<string, string>> {
  const out = new Map<string, Record<string, string>>();
  for (const m of all.filter((x) => x.doc.kind === 'Secret')) {
    const values: Record<string, string> = {};
    for (const [k, v] of Object.entries(objAt(m.doc, 'data') ?? {})) values[k] = Buffer.from(String(v), 'base64').toString('utf8');
    for (const [k, v] of Object.entries(objAt(m.doc, 'stringData') ?? {})) values[k] = String(v);
    out.set(String(objAt(m.doc, 'metadata')?.name), values);
  }
  return out;
}

/** A container's env, in order, each value expanded from the ones before it, as the kubelet builds it. */
export function containerEnv(c: Obj, secrets: ReadonlyMap<string, Readonly<Record<string, string>>>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const e of listAt(c, 'env').filter(isObj)) {
    const name = String(e.name);
    const secret = objAt(e, 'valueFrom', 'secretKeyRef');
    const field = objAt(e, 'valueFrom', 'fieldRef');
    if (typeof e.value === 'string') env[name] = expand(e.value, env);
    else if (secret) env[name] = secrets.get(String(secret.name))?.[String(secret.key)] ?? '';
    else if (field) env[name] = POD_FIELDS[String(field.fieldPath)] ?? '';
  }
  return env;
}

/** Every container in the manifests that runs faultmesh, with the argv and env it would start with. */
export function faultmeshArgvs(all: readonly Manifest[]): ContainerArgv[] {
  const secrets = secretValues(all);
  const out: ContainerArgv[] = [];
  for (const m of all) {
    const pod = podOf(m);
    if (!pod) continue;
    for (const c of containersOf(pod).filter((x) => isFaultmeshImage(x.image))) {
      const env = containerEnv(c, secrets);
      const args = listAt(c, 'args').map((a) => expand(String(a), env));
      out.push({ where: `${m.where} ${String(m.doc.kind)} ${String(objAt(m.doc, 'metadata')?.name)} container ${String(c.name)}`, args, env, hasCommand: c.command !== undefined });
    }
  }
  return out;
}
