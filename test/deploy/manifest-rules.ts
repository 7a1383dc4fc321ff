import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LineCounter, parseAllDocuments } from 'yaml';

/**
 * What a cluster would refuse, or accept and then fail on quietly, checked
 * without a cluster: the subset of Kubernetes' validation that the files in
 * deploy/kubernetes/ rely on. Each rule returns a sentence naming where.
 */

export type Obj = Record<string, unknown>;

export interface Manifest {
  /** `file:line` of the document's first line, for messages. */
  readonly where: string;
  readonly file: string;
  readonly doc: Obj;
}

/** The apiVersion each kind the folder may hold is served at. */
export const KINDS: Readonly<Record<string, string>> = {
  Secret: 'v1',
  Service: 'v1',
  Deployment: 'apps/v1',
  StatefulSet: 'apps/v1',
  PodDisruptionBudget: 'policy/v1',
  NetworkPolicy: 'networking.k8s.io/v1',
  Kustomization: 'kustomize.config.k8s.io/v1beta1',
};

/** Downward API fields a container's env may read (`fieldRef.fieldPath`). */
const FIELD_PATHS = new Set(['metadata.name', 'metadata.namespace', 'metadata.uid', 'spec.nodeName', 'spec.serviceAccountName', 'status.hostIP', 'status.podIP', 'status.podIPs']);
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const PROBES = ['readinessProbe', 'livenessProbe', 'startupProbe'] as const;

export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
export const objAt = (v: unknown, ...path: string[]): Obj | undefined => {
  let at: unknown = v;
  for (const key of path) at = isObj(at) ? at[key] : undefined;
  return isObj(at) ? at : undefined;
};
export const listAt = (v: unknown, ...path: string[]): unknown[] => {
  const last = path.pop()!;
  const parent = path.length ? objAt(v, ...path) : isObj(v) ? v : undefined;
  const list = parent?.[last];
  return Array.isArray(list) ? list : [];
};
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : []);

/** Every YAML document of every `*.yaml` in `dir`; a YAML syntax error throws, naming file:line:column. */
export function loadManifests(dir: string): Manifest[] {
  const out: Manifest[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()) {
    const text = readFileSync(join(dir, file), 'utf8');
    const lines = new LineCounter();
    for (const doc of parseAllDocuments(text, { lineCounter: lines, uniqueKeys: true })) {
      const first = doc.errors[0];
      if (first) throw new Error(`${file}:${first.linePos?.[0].line ?? 0}:${first.linePos?.[0].col ?? 0} ${first.message}`);
      const where = `${file}:${lines.linePos(doc.range[0]).line}`;
      const js: unknown = doc.toJS();
      if (js === null || js === undefined) continue;
      out.push({ where, file, doc: isObj(js) ? js : { notAnObject: js } });
    }
  }
  return out;
}

/** The pod template of a Deployment or StatefulSet. */
export const podOf = (m: Manifest): Obj | undefined => (m.doc.kind === 'Deployment' || m.doc.kind === 'StatefulSet' ? objAt(m.doc, 'spec', 'template') : undefined);

/** A pod's containers, sidecars (init containers) included. */
export const containersOf = (pod: Obj): Obj[] => [...listAt(pod, 'spec', 'initContainers'), ...listAt(pod, 'spec', 'containers')].filter(isObj);

const labelsMatch = (selector: Obj | undefined, labels: Obj | undefined): boolean =>
  selector !== undefined && Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels?.[k] === v);

/** Every problem in the folder's manifests; empty when a cluster would accept them and they would fit together. */
export function manifestProblems(all: readonly Manifest[], dir: string): string[] {
  const problems: string[] = [];
  const secrets = new Map<string, Set<string>>();
  for (const m of all.filter((x) => x.doc.kind === 'Secret')) {
    secrets.set(String(objAt(m.doc, 'metadata')?.name), new Set([...Object.keys(objAt(m.doc, 'stringData') ?? {}), ...Object.keys(objAt(m.doc, 'data') ?? {})]));
  }
  const workloads = all.filter((m) => podOf(m));
  for (const m of all) {
    const say = (message: string) => problems.push(`${m.where} ${String(m.doc.kind)} ${String(objAt(m.doc, 'metadata')?.name ?? '')}: ${message}`);
    const kind = m.doc.kind;
    if (typeof kind !== 'string' || !(kind in KINDS)) {
      say(`kind ${JSON.stringify(kind)} is not one of ${Object.keys(KINDS).join(', ')}`);
      continue;
    }
    if (m.doc.apiVersion !== KINDS[kind]) say(`apiVersion is ${JSON.stringify(m.doc.apiVersion)}; ${kind} is served at ${KINDS[kind]}`);
    if (kind === 'Kustomization') {
      for (const r of strings(m.doc.resources)) if (!existsSync(join(dir, r))) say(`resource ${r} is not in the folder`);
      continue;
    }
    const name = objAt(m.doc, 'metadata')?.name;
    if (typeof name !== 'string' || !DNS_SUBDOMAIN.test(name)) say(`metadata.name ${JSON.stringify(name)} is not a DNS name`);
    const pod = podOf(m);
    if (pod) {
      if (!labelsMatch(objAt(m.doc, 'spec', 'selector', 'matchLabels'), objAt(pod, 'metadata', 'labels'))) say("spec.selector.matchLabels does not select the template's labels");
      problems.push(...podProblems(m, pod, secrets).map((p) => `${m.where} ${kind} ${String(name)}: ${p}`));
    }
    if (kind === 'StatefulSet') {
      const service = all.find((s) => s.doc.kind === 'Service' && objAt(s.doc, 'metadata')?.name === objAt(m.doc, 'spec')?.serviceName);
      if (objAt(service?.doc, 'spec')?.clusterIP !== 'None') say('spec.serviceName must name a headless Service (clusterIP: None) in the folder: it gives each member its DNS name');
    }
    if (kind === 'Service') {
      const selector = objAt(m.doc, 'spec', 'selector');
      const target = workloads.find((w) => labelsMatch(selector, objAt(podOf(w), 'metadata', 'labels')));
      if (!target) {
        say('spec.selector selects no pod template in the folder');
        continue;
      }
      const declared = containersOf(podOf(target)!).flatMap((c) => listAt(c, 'ports').filter(isObj));
      for (const port of listAt(m.doc, 'spec', 'ports').filter(isObj)) {
        const t = port.targetPort ?? port.port;
        if (!declared.some((p) => p.name === t || p.containerPort === t)) say(`port ${String(port.name)} targets ${String(t)}, which no container of ${String(objAt(target.doc, 'metadata')?.name)} declares`);
      }
    }
    if (kind === 'PodDisruptionBudget' || kind === 'NetworkPolicy') {
      const selector = kind === 'PodDisruptionBudget' ? objAt(m.doc, 'spec', 'selector', 'matchLabels') : objAt(m.doc, 'spec', 'podSelector', 'matchLabels');
      if (!workloads.some((w) => labelsMatch(selector, objAt(podOf(w), 'metadata', 'labels')))) say('its selector selects no pod template in the folder');
    }
    if (kind === 'Secret' && !objAt(m.doc, 'stringData') && !objAt(m.doc, 'data')) say('has neither stringData nor data');
  }
  return problems;
}

/** A pod template's containers: names, images, ports, probes, env and the $(VAR) they use. */
export function podProblems(m: Manifest, pod: Obj, secrets: ReadonlyMap<string, ReadonlySet<string>>): string[] {
  const problems: string[] = [];
  const containers = containersOf(pod);
  if (listAt(pod, 'spec', 'containers').length === 0) problems.push('the pod template has no containers');
  const names = new Set<string>();
  for (const c of containers) {
    const at = `container ${String(c.name)}`;
    if (typeof c.name !== 'string' || !DNS_LABEL.test(c.name)) problems.push(`${at}: name is not a DNS label`);
    else if (names.has(c.name)) problems.push(`${at}: name given twice in the pod`);
    names.add(String(c.name));
    if (typeof c.image !== 'string' || c.image.trim() === '') problems.push(`${at}: no image`);
    const ports = listAt(c, 'ports').filter(isObj);
    for (const p of ports) {
      if (!Number.isInteger(p.containerPort) || (p.containerPort as number) < 1 || (p.containerPort as number) > 65535) problems.push(`${at}: containerPort ${String(p.containerPort)} is not a port`);
      if (p.name !== undefined && (typeof p.name !== 'string' || p.name.length > 15 || !DNS_LABEL.test(p.name))) problems.push(`${at}: port name ${String(p.name)} is not a DNS label of at most 15 characters`);
    }
    for (const probe of PROBES) {
      const spec = objAt(c, probe);
      if (!spec) continue;
      const handler = objAt(spec, 'httpGet') ?? objAt(spec, 'tcpSocket') ?? objAt(spec, 'grpc');
      if (!handler) problems.push(`${at}: ${probe} has no httpGet, tcpSocket or grpc`);
      else if (!ports.some((p) => p.name === handler.port || p.containerPort === handler.port)) problems.push(`${at}: ${probe} points at port ${String(handler.port)}, which the container does not declare`);
    }
    const defined = new Set<string>();
    for (const e of listAt(c, 'env').filter(isObj)) {
      const name = String(e.name);
      if (!ENV_NAME.test(name)) problems.push(`${at}: env name ${name} is not a variable name`);
      const from = objAt(e, 'valueFrom');
      if ((e.value === undefined) === (from === undefined)) problems.push(`${at}: env ${name} needs exactly one of value and valueFrom`);
      if (typeof e.value === 'string') problems.push(...undefinedRefs(e.value, defined).map((v) => `${at}: env ${name} uses $(${v}) before it is defined`));
      const secretRef = objAt(from, 'secretKeyRef');
      if (secretRef && !secrets.get(String(secretRef.name))?.has(String(secretRef.key))) problems.push(`${at}: env ${name} reads key ${String(secretRef.key)} of Secret ${String(secretRef.name)}, which no Secret in the folder has`);
      const field = objAt(from, 'fieldRef');
      if (field && !FIELD_PATHS.has(String(field.fieldPath))) problems.push(`${at}: env ${name} reads ${String(field.fieldPath)}, which the downward API does not give as an env value`);
      defined.add(name);
    }
    // Kubernetes leaves an unknown $(VAR) as it is: the process would get the literal text.
    for (const arg of [...strings(c.command), ...strings(c.args)]) problems.push(...undefinedRefs(arg, defined).map((v) => `${at}: "${arg}" uses $(${v}), which its env does not define`));
  }
  return problems;
}

const undefinedRefs = (text: string, defined: ReadonlySet<string>): string[] => [...text.matchAll(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g)].map((r) => r[1]!).filter((v) => !defined.has(v));

/** The names of the StatefulSet's members (`etcd-0` … `etcd-N`), as its pods are named. */
export const memberNames = (m: Manifest): string[] => Array.from({ length: Number(objAt(m.doc, 'spec')?.replicas ?? 1) }, (_, i) => `${String(objAt(m.doc, 'metadata')?.name)}-${i}`);
