import { resolve } from 'node:path';
import type { Argv } from 'yargs';
import { ConfigError, formatIssue, type SourceIssue } from '../../proxy/config/config-error.js';
import { parseMeshAwaitingInstances } from '../../proxy/config/load-mesh.js';
import { meshSchema } from '../../proxy/config/mesh-schema.js';
import { readTextFile } from '../../proxy/config/text-file.js';
import { YamlSource } from '../../proxy/config/yaml-source.js';
import { faultRuleListSchema, faultRuleSchema } from '../../proxy/faults/fault-rule-schema.js';
import { isCanaryDocument, loadCanary } from '../../runner/canary/load-canary.js';
import { checkPrograms } from '../../runner/experiment/check-programs.js';
import { loadExperiment } from '../../runner/experiment/load-experiment.js';
import { loadGameday } from '../../runner/gameday/load-gameday.js';
import { resolvePython, type PythonChoice } from '../../runner/python/python-env.js';
import { EXIT_INVALID } from '../exit.js';
import { JSON_FLAG, printJson } from '../json-output.js';

/** A fault rule's target, where the file names it: checked against the mesh once every file is read. */
interface TargetRef {
  readonly target: string;
  readonly at: SourceIssue;
}

/** What validating one file found: a summary, the services a mesh declares, the targets fault rules name. */
export interface Validated {
  readonly kind: 'gameday' | 'canary' | 'experiment' | 'rules' | 'mesh';
  readonly summary: string;
  readonly services: readonly string[];
  readonly targets: readonly TargetRef[];
  /** Not errors: with `registered`, route subsets that wait for instances to register. */
  readonly warnings?: readonly SourceIssue[];
  /** Not errors: what could not be checked (a Python builtin's arguments), printed as `warning: file:line field: message`. */
  readonly uncheckable?: readonly SourceIssue[];
}

export interface InspectOptions {
  /** Validate a mesh as the control plane does (`mesh apply`): a subset no instance has yet is a warning, since instances register later. */
  readonly registered?: boolean;
  /** Check python activities and controls with this interpreter (imports, functions, arguments); none: not checked. */
  readonly python?: PythonChoice;
}

/** The refusal a file-read mesh gives a subset without instances (mesh-schema.ts), which `--registered` turns into a warning. */
const isSubsetWithoutInstances = (issue: SourceIssue) => issue.message.startsWith('no instance has labels');
const REGISTERED_HINT = 'for a mesh whose instances register on a control plane, use validate --registered';

const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** A literal target at `path` (one written as `${name}` is only known at run time). */
function targetAt(source: YamlSource, path: readonly PropertyKey[], target: unknown): TargetRef[] {
  if (typeof target !== 'string' || target === '*' || target.includes('${')) return [];
  return [{ target, at: source.locate({ path, message: '' }) }];
}

/** The targets of an experiment's fault activities, in every section activities stand in. */
function experimentTargets(source: YamlSource): TargetRef[] {
  const doc = source.toJS();
  if (!isRecord(doc)) return [];
  const hypothesis = isRecord(doc['steady-state-hypothesis']) ? doc['steady-state-hypothesis'] : {};
  const lists: Array<[readonly PropertyKey[], unknown]> = [
    [['steady-state-hypothesis', 'probes'], hypothesis.probes],
    [['safeguards'], doc.safeguards],
    [['method'], doc.method],
    [['rollbacks'], doc.rollbacks],
  ];
  return lists.flatMap(([path, list]) =>
    (Array.isArray(list) ? list : []).flatMap((a: unknown, i) => {
      const provider = isRecord(a) && isRecord(a.provider) ? a.provider : undefined;
      if (provider?.type !== 'fault' || !isRecord(provider.rule)) return [];
      return targetAt(source, [...path, i, 'provider', 'rule', 'target'], provider.rule.target);
    }),
  );
}

/**
 * Validates one file, choosing the schema by its shape: a game day has
 * `gameday`; a canary has `canary` and `steps`; an experiment has `method`; a mesh has `services`; a fault rule has `target`, and a list
 * holds fault rules. Throws ConfigError; returns what the file declares and names.
 */
export function inspectFile(file: string, options: InspectOptions = {}): Validated {
  const source = YamlSource.read(file);
  const raw = source.syntaxIssues().length ? undefined : source.toJS();
  const none = { services: [], targets: [] };
  if (isRecord(raw) && 'gameday' in raw) {
    const g = loadGameday(file, { python: options.python });
    checkPrograms(g.runs.map((r) => r.experimentFile));
    const targets = [...new Set(g.runs.map((r) => r.experimentFile))].flatMap((f) => experimentTargets(YamlSource.read(f)));
    const uncheckable = [...new Map(g.runs.flatMap((r) => r.experiment.warnings ?? []).map((w) => [formatIssue(w), w])).values()];
    return { ...none, kind: 'gameday', targets, uncheckable, summary: `game day "${g.title}", ${g.runs.length} run${g.runs.length === 1 ? '' : 's'}` };
  }
  if (isCanaryDocument(raw)) {
    const c = loadCanary(file);
    checkPrograms(c.chaos.map((stage) => stage.file));
    const targets = c.chaos.flatMap((stage) => experimentTargets(YamlSource.read(stage.file)));
    const chaos = c.chaos.length ? `, chaos at ${c.chaos.map((stage) => `${stage.at}%`).join(', ')}` : '';
    return { ...none, kind: 'canary', targets, summary: `canary "${c.name}" for ${c.service}, steps ${c.steps.join('→')}${chaos}` };
  }
  if (isRecord(raw) && ('method' in raw || 'steady-state-hypothesis' in raw)) {
    const exp = loadExperiment(file, { python: options.python });
    checkPrograms([file]);
    return { ...none, kind: 'experiment', targets: experimentTargets(source), uncheckable: exp.warnings ?? [], summary: `experiment "${exp.title}", ${exp.method.length} method activit${exp.method.length === 1 ? 'y' : 'ies'}` };
  }
  if (Array.isArray(raw)) {
    const rules = source.validate(faultRuleListSchema);
    return { ...none, kind: 'rules', targets: rules.flatMap((r, i) => targetAt(source, [i, 'target'], r.target)), summary: `${rules.length} fault rule${rules.length === 1 ? '' : 's'}` };
  }
  if (isRecord(raw) && 'target' in raw) {
    const rule = source.validate(faultRuleSchema);
    return { ...none, kind: 'rules', targets: targetAt(source, ['target'], rule.target), summary: '1 fault rule' };
  }
  // A mesh that lists no instance at all cannot be a proxy's file: it is a control plane's, whose instances register.
  const controlPlaneMesh = !options.registered && listsNoInstance(raw);
  if (options.registered || controlPlaneMesh) {
    const { mesh, warnings } = parseMeshAwaitingInstances(readTextFile(file), file);
    const services = Object.keys(mesh.services);
    return { ...none, kind: 'mesh', services, warnings, summary: `mesh, ${plural(services.length, 'service')}${controlPlaneMesh ? ' (no instances: checked as for a control plane, where they register)' : ''}` };
  }
  const services = Object.keys(source.validate(meshSchema).services);
  return { ...none, kind: 'mesh', services, summary: `mesh, ${plural(services.length, 'service')}` };
}

function listsNoInstance(raw: unknown): boolean {
  if (!isRecord(raw) || !isRecord(raw.services)) return false;
  return Object.values(raw.services).every((svc) => !isRecord(svc) || svc.instances === undefined || (Array.isArray(svc.instances) && svc.instances.length === 0));
}

/** The one-line summary of a valid file. */
export function validateFile(file: string): string {
  return inspectFile(file).summary;
}

/**
 * Targets no mesh declares, as warnings: a rule for such a service matches
 * nothing. Only when a mesh is known (given with --mesh or among the files).
 */
export function unknownTargetIssues(meshes: ReadonlyArray<{ file: string; services: readonly string[] }>, targets: readonly TargetRef[]): SourceIssue[] {
  if (meshes.length === 0) return [];
  const known = new Set(meshes.flatMap((m) => m.services));
  const names = meshes.map((m) => m.file).join(', ');
  return targets.filter((t) => !known.has(t.target)).map((t) => ({ ...t.at, message: `no service "${t.target}" in ${names}: the rule would match nothing` }));
}

/** The same warnings as `warning: file:line:column field: message` lines. */
export const unknownTargetWarnings = (meshes: ReadonlyArray<{ file: string; services: readonly string[] }>, targets: readonly TargetRef[]): string[] =>
  unknownTargetIssues(meshes, targets).map((w) => `warning: ${formatIssue(w)}`);

/** One file in `validate --json`: what it is, or every error in it. */
export type FileResult =
  | { readonly file: string; readonly valid: true; readonly kind: Validated['kind']; readonly summary: string }
  | { readonly file: string; readonly valid: false; readonly errors: readonly SourceIssue[]; readonly hint?: string };

/** `validate --json`: every file's result, and every warning (none changes the exit code). */
export interface ValidateReport {
  readonly valid: boolean;
  readonly files: readonly FileResult[];
  readonly warnings: readonly SourceIssue[];
}

interface ValidateArgs {
  readonly files: string[];
  readonly mesh?: string | undefined;
  readonly registered?: boolean;
  readonly python?: string | undefined;
  readonly json?: boolean;
}

/** Validates every file, saying each result as it goes (`say` prints text; with --json it is silent and the report is printed whole). */
function validateAll(args: ValidateArgs, say: { out(line: string): void; err(line: string): void }): ValidateReport {
  const python = resolvePython(args.python);
  const files: FileResult[] = [];
  const warnings: SourceIssue[] = [];
  const meshes: Array<{ file: string; services: readonly string[] }> = [];
  const targets: TargetRef[] = [];
  const all = args.mesh && !args.files.some((f) => resolve(f) === resolve(args.mesh!)) ? [args.mesh, ...args.files] : args.files;
  for (const file of all) {
    try {
      const found = inspectFile(file, { registered: args.registered === true, python });
      files.push({ file, valid: true, kind: found.kind, summary: found.summary });
      say.out(`${file}: ok (${found.summary})`);
      const waiting = (found.warnings ?? []).map((w) => ({ ...w, message: `${w.message} yet (it waits for instances to register)` }));
      for (const w of [...waiting, ...(found.uncheckable ?? [])]) say.err(`warning: ${formatIssue(w)}`);
      warnings.push(...waiting, ...(found.uncheckable ?? []));
      if (found.kind === 'mesh') meshes.push({ file, services: found.services });
      targets.push(...found.targets);
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      const hint = !args.registered && err.issues.some(isSubsetWithoutInstances) ? REGISTERED_HINT : undefined;
      files.push({ file, valid: false, errors: err.issues, ...(hint ? { hint } : {}) });
      say.err(err.message);
      if (hint) say.err(`hint: ${hint}`);
    }
  }
  const unknown = unknownTargetIssues(meshes, targets);
  for (const w of unknown) say.err(`warning: ${formatIssue(w)}`);
  return { valid: files.every((f) => f.valid), files, warnings: [...warnings, ...unknown] };
}

/** yargs 18's usageConfiguration, which @types/yargs does not declare yet. */
const withHiddenTypes = (y: Argv): Argv => (y as Argv & { usageConfiguration(c: { 'hide-types': boolean }): Argv }).usageConfiguration({ 'hide-types': true });

export const validateCommand = {
  command: 'validate <files..>',
  describe: 'check game days, canaries, experiments, mesh files and fault rule files; report every error as file:line:column field: message',
  // `<files..>` already says "one or more, required"; yargs's tags ([array] [required]) would only repeat it in type jargon.
  // hide-types hides every flag's tags on this command alone, so each description says what its flag takes.
  builder: (y: Argv) =>
    withHiddenTypes(y)
      .positional('files', { type: 'string', array: true, demandOption: true, default: undefined, describe: 'one or more files to check: game days, canaries, experiments, mesh files, fault rule files' })
      .option('mesh', { type: 'string', describe: 'FILE: the mesh whose services fault rule targets are checked against (a mesh among the files counts too)' })
      .option('python', { type: 'string', describe: 'PATH: the Python interpreter python activities and controls are checked with (default: FAULTMESH_PYTHON, else python3 on PATH)' })
      .option('registered', { type: 'boolean', default: false, describe: 'check meshes as the control plane does (mesh apply): route subsets without instances yet are warnings, as instances register later (default: off)' })
      .option('json', { ...JSON_FLAG, describe: 'print {valid, files: [{file, valid, kind, summary} | {file, valid, errors}], warnings} as one JSON document (see README; default: off)' }),
  handler: (args: ValidateArgs) => {
    const quiet = () => {};
    const say = args.json ? { out: quiet, err: quiet } : { out: (l: string) => process.stdout.write(`${l}\n`), err: (l: string) => process.stderr.write(`${l}\n`) };
    const report = validateAll(args, say);
    const errors = report.files.reduce((n, f) => n + (f.valid ? 0 : f.errors.length), 0);
    if (args.json) printJson(report);
    else if (errors) process.stderr.write(`${errors} error${errors === 1 ? '' : 's'}\n`);
    if (errors) process.exitCode = EXIT_INVALID;
  },
};
