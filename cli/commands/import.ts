import { writeFileSync } from 'node:fs';
import type { Argv } from 'yargs';
import { importIstio, type ImportResult } from '../../importers/istio/import-istio.js';
import { formatIssue, type SourceIssue } from '../../proxy/config/config-error.js';
import { checkDuration } from '../../proxy/config/duration.js';
import { parseMeshAwaitingInstances } from '../../proxy/config/load-mesh.js';
import { readTextFile } from '../../proxy/config/text-file.js';
import { faultRuleListSchema } from '../../proxy/faults/fault-rule-schema.js';
import { listsInstances, subsetsWithoutInstancesAfterMerge } from '../../importers/istio/merge-check.js';
import { meshYaml, mergeMeshYaml, rulesYaml } from '../../importers/istio/write-yaml.js';
import { EXIT_INVALID, UsageError } from '../exit.js';

interface IstioArgs {
  readonly files: string[];
  readonly out: string | undefined;
  readonly 'faults-out': string | undefined;
  readonly merge: string | undefined;
  readonly registered: boolean;
  readonly strict: boolean;
  readonly ttl: string;
  readonly namespace: string | undefined;
  readonly namespaced: boolean;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Every finding on stderr, as `file:line:column field: ...` so editors and CI logs jump to it. */
export function printFindings(issues: ImportResult['issues']): void {
  // Files in the order given, each from its first line down.
  const files = [...new Set([...issues.invalid, ...issues.untranslated, ...issues.caveat].map((i) => i.file))];
  const inOrder = (list: readonly SourceIssue[]) => [...list].sort((a, b) => files.indexOf(a.file) - files.indexOf(b.file) || a.line - b.line || a.column - b.column);
  const line = (i: SourceIssue, label: string) => process.stderr.write(`${formatIssue({ ...i, message: `${label}${i.message}` })}\n`);
  for (const i of inOrder(issues.invalid)) line(i, '');
  for (const i of inOrder(issues.untranslated)) line(i, 'not translated: ');
  for (const i of inOrder(issues.caveat)) line(i, 'note: ');
}

/** The comment at the top of the mesh file: what it came from, and how it gets instances. */
const meshHeader = (files: readonly string[]) => [
  `Translated from Istio by faultmesh import istio (${files.join(', ')}).`,
  'Istio files name no instances, so none is listed: apply this file to a control plane',
  '(faultmesh mesh apply), where each instance registers with its labels',
  '(faultmesh proxy --control URL --service NAME --register ID=HOST:PORT,label.version=v1),',
  'or list instances here with the labels of the routes\' subsets, or import with --merge MESH.',
];

function importFromIstio(args: IstioArgs): void {
  if (args.files.length === 0) throw new UsageError('import istio: name at least one VirtualService or DestinationRule file');
  const ttl = checkDuration(args.ttl);
  if (!ttl.ok || ttl.ms <= 0) throw new UsageError(`--ttl: ${ttl.ok ? 'must be above 0' : ttl.message}`);
  if (args.registered && args.merge === undefined) throw new UsageError('--registered is for --merge: without it the mesh lists no instance, and is checked as a control plane\'s anyway');
  // Read before translating: a missing or unreadable mesh file is bad input, like a bad Istio file.
  const base = args.merge === undefined ? undefined : readTextFile(args.merge);
  const result = importIstio(args.files, { ...(args.namespace ? { namespace: args.namespace } : {}), namespaced: args.namespaced });
  printFindings(result.issues);
  const { invalid, untranslated, caveat } = result.issues;
  if (invalid.length) {
    process.stderr.write(`${plural(invalid.length, 'error')}; nothing written\n`);
    process.exitCode = EXIT_INVALID;
    return;
  }
  if (args.strict && untranslated.length) {
    process.stderr.write(`import: ${plural(untranslated.length, 'field')} not translated (--strict); nothing written\n`);
    process.exitCode = EXIT_INVALID;
    return;
  }

  const mesh = base === undefined ? meshYaml(result.services, meshHeader(args.files)) : mergeMeshYaml(base, result.services);
  // What the file will be checked against by mesh apply and validate; a refusal here is one of the merge (or of this import).
  const { mesh: merged, warnings } = parseMeshAwaitingInstances(mesh, args.out ?? args.merge ?? '<imported mesh>');
  if (base !== undefined) {
    // A base with instances is a mesh a proxy reads itself, where nothing registers: the proxy would refuse a subset without one.
    const refused = !args.registered && listsInstances(base) ? subsetsWithoutInstancesAfterMerge(merged, result.services, { file: args.merge!, text: base }) : [];
    if (refused.length) {
      for (const i of refused) process.stderr.write(`${formatIssue(i)}\n`);
      process.stderr.write(`${plural(refused.length, 'error')}; nothing written\n`);
      process.exitCode = EXIT_INVALID;
      return;
    }
    for (const w of warnings) process.stderr.write(`${formatIssue({ ...w, message: `warning: ${w.message} yet (it waits for instances to register)` })}\n`);
  }

  const written: string[] = [];
  let rulesText: string | undefined;
  if (result.rules.length && args['faults-out']) {
    rulesText = rulesYaml(result.rules, args.ttl, [`Fault rules translated from Istio by faultmesh import istio: faultmesh faults add ${args['faults-out']}`, `Each is leased for ${args.ttl} (--ttl) and tried in this order, as the proxy keeps it.`]);
    faultRuleListSchema.parse(result.rules.map(({ rule }) => ({ ...rule, ttl: args.ttl })));
  }
  if (args.out) {
    writeFileSync(args.out, mesh);
    written.push(args.out);
  } else process.stdout.write(mesh);
  if (rulesText !== undefined) {
    writeFileSync(args['faults-out']!, rulesText);
    written.push(args['faults-out']!);
  } else if (result.rules.length) {
    process.stderr.write(`import: the VirtualServices hold ${plural(result.rules.length, 'fault rule')}, not written: give --faults-out FILE (or faultmesh faults add the VirtualService file itself)\n`);
  } else if (args['faults-out']) {
    process.stderr.write(`import: no route of the VirtualServices has a fault; ${args['faults-out']} not written\n`);
  }
  const { virtualServices, destinationRules } = result.read;
  process.stderr.write(
    `import: ${plural(virtualServices, 'VirtualService')} and ${plural(destinationRules, 'DestinationRule')} → ${plural(result.services.size, 'service')}, ${plural(result.rules.length, 'fault rule')}; ` +
      `${plural(untranslated.length, 'field')} not translated, ${plural(caveat.length, 'note')}${written.length ? `; wrote ${written.join(' and ')}` : ''}\n`,
  );
}

/** A format import does not know (yargs would name the first file as an unknown argument instead). */
function unknownFormat(args: { format?: string | undefined }): never {
  const named = args.format === undefined ? '' : ` (not "${args.format}")`;
  throw new UsageError(`import knows one format: istio${named}; e.g. faultmesh import istio FILE...`);
}

export const importCommand = {
  command: 'import [format] [files..]',
  describe: "translate another tool's configuration into faultmesh files",
  builder: (y: Argv) =>
    y
      .positional('format', { type: 'string', describe: 'istio, the one format import knows' })
      .positional('files', { type: 'string', array: true, describe: 'the files to translate (see import istio)' })
      .command(
        'istio <files..>',
        'translate Istio VirtualService and DestinationRule YAML into a mesh file and fault rules, naming every field that has no faultmesh equivalent',
        (c: Argv) =>
          c
            .positional('files', { type: 'string', array: true, demandOption: true, describe: 'YAML files, one or more documents each (kubectl get -o yaml lists too)' })
            .option('out', { type: 'string', requiresArg: true, describe: 'mesh file to write (default: stdout)' })
            .option('faults-out', { type: 'string', requiresArg: true, describe: 'fault rules file to write from the routes\' faults (for faultmesh faults add)' })
            .option('merge', { type: 'string', requiresArg: true, describe: 'start from this mesh file: its instances and other services stay, imported services get the routes and the policy keys the Istio files set; a route subset it has no instance for is an error (exit 2)' })
            .option('registered', { type: 'boolean', default: false, describe: 'with --merge: the mesh is for a control plane, where instances register, so a route subset without one yet is a warning' })
            .option('strict', { type: 'boolean', default: false, describe: 'write nothing, and exit 2, if any field could not be translated' })
            .option('ttl', { type: 'string', requiresArg: true, default: '10m', describe: 'lease of each fault rule in --faults-out' })
            .option('namespace', { type: 'string', requiresArg: true, describe: 'namespace of resources that name none (default: default)' })
            .option('namespaced', { type: 'boolean', default: false, describe: 'name Kubernetes services name.namespace, for files that span namespaces' }),
        (args) => importFromIstio(args as unknown as IstioArgs),
      ),
  handler: (args: { format?: string | undefined }) => unknownFormat(args),
};
