import { ConfigError, formatPath, type FieldIssue } from '../../proxy/config/config-error.js';
import { YamlSource } from '../../proxy/config/yaml-source.js';
import { experimentControls } from '../controls/control-lists.js';
import type { ControlEntry, ControlSpec } from '../controls/control-schema.js';
import { checkPythonSites } from '../python/check-python.js';
import { sysPathFor, type PythonChoice, type SecretScopes } from '../python/python-env.js';
import { pythonSitesOf } from '../python/python-sites.js';
import type { Activity } from './activity-schema.js';
import { writtenForms, type WrittenActivity } from './as-written.js';
import { experimentSchema } from './experiment-schema.js';
import type { Runtime } from './runtime-schema.js';
import { controlOf, fillControl } from './control-default.js';
import { collectVariables, secretValues, substitute, type Variable } from './variables.js';

/** An experiment ready to run: validated, substituted, every `{ref}` replaced by its activity. */
export interface Experiment {
  readonly file: string;
  readonly title: string;
  readonly description: string | undefined;
  readonly tags: readonly string[];
  readonly hypothesis: { readonly title: string; readonly probes: readonly Activity[]; readonly duringMs: number | undefined; readonly controls?: readonly ControlEntry[] | undefined } | undefined;
  readonly method: readonly Activity[];
  readonly rollbacks: readonly Activity[];
  readonly safeguards: readonly Activity[];
  /** Secret values, which journals and progress output mask. */
  readonly secrets: readonly string[];
  /** The configuration's values (and --var's), as Python functions that take `configuration` get them. */
  readonly configuration: Readonly<Record<string, unknown>>;
  /** The secrets' values by scope, as Python functions that take `secrets` get their declared scopes. */
  readonly secretScopes: SecretScopes;
  /** Chaos Toolkit's top-level controls (runner/controls/). */
  readonly controls: readonly ControlSpec[];
  /** Chaos Toolkit's `runtime` strategies as the file gives them (runner/runtime.ts decides with the command line's). */
  readonly runtime: Runtime;
  /** The file as written, before `${}` substitution, in Chaos Toolkit's units (runner/experiment/as-written.ts): the journal's `experiment`, as in Chaos Toolkit's. */
  readonly document: Readonly<Record<string, unknown>>;
  /** Each activity as the file wrote it (pauses in seconds), by name: what the journal's records show, as Chaos Toolkit's do. */
  readonly asWritten: ReadonlyMap<string, WrittenActivity>;
}

export interface LoadOptions {
  /** `--var name=value`, which override configuration entries. */
  readonly vars?: Readonly<Record<string, unknown>>;
  readonly env?: NodeJS.ProcessEnv;
  /** Check every python activity and control with this interpreter (the module imports, the function and its arguments fit). */
  readonly python?: PythonChoice;
}

type Entry = Activity | { ref: string };
const isRef = (e: Entry): e is { ref: string } => 'ref' in e;

/**
 * Reads and validates an experiment file (YAML or JSON). Every problem in it
 * (schema, `${}` names, `{ref}` targets) is thrown at once as a ConfigError
 * with file, line, column and field; nothing is returned half-checked.
 */
export function loadExperiment(file: string, options: LoadOptions = {}): Experiment {
  const source = YamlSource.read(file);
  const syntax = source.syntaxIssues();
  if (syntax.length) throw new ConfigError(syntax);
  const raw = source.toJS();
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ConfigError([{ file, line: 1, column: 1, field: '', message: raw === null || raw === undefined ? 'the file is empty' : 'an experiment is a mapping with title, method and the rest' }]);
  }
  const doc = raw as Record<string, unknown>;
  const vars = collectVariables(doc, options.vars ?? {}, options.env ?? process.env);
  const issues: FieldIssue[] = [];
  const substituted = { ...doc };
  for (const key of ['steady-state-hypothesis', 'method', 'rollbacks', 'safeguards', 'controls']) {
    if (key in doc) substituted[key] = substitute(doc[key], vars, [key], issues);
  }
  fillControl(substituted, controlOf(vars, options.env ?? process.env), issues);
  const parsed = source.validateData(experimentSchema, substituted, issues);

  // Names are declared by full activities anywhere in the file; a ref takes the first of that name.
  const declared = new Map<string, Activity>();
  const lists: Array<{ path: readonly PropertyKey[]; entries: readonly Entry[] }> = [
    { path: ['steady-state-hypothesis', 'probes'], entries: parsed['steady-state-hypothesis']?.probes ?? [] },
    { path: ['safeguards'], entries: parsed.safeguards },
    { path: ['method'], entries: parsed.method },
    { path: ['rollbacks'], entries: parsed.rollbacks },
  ];
  // Two activities with one name would make a ref, the journal and the report ambiguous: refused.
  const refIssues: FieldIssue[] = [];
  const firstAt = new Map<string, string>();
  for (const { path, entries } of lists) {
    entries.forEach((e, i) => {
      if (isRef(e)) return;
      const where = formatPath([...path, i]);
      const first = firstAt.get(e.name);
      if (first === undefined) {
        firstAt.set(e.name, where);
        declared.set(e.name, e);
      } else refIssues.push({ path: [...path, i, 'name'], message: `activity name "${e.name}" is already used at ${first}; give this one another name, or write {ref: ${e.name}} to run that one again` });
    });
  }

  const checked = new Set(['steady-state-hypothesis', 'safeguards']);
  const resolve = ({ path, entries }: (typeof lists)[number]): Activity[] =>
    entries.flatMap((e, i) => {
      if (!isRef(e)) return [e];
      const target = declared.get(e.ref);
      const at = [...path, i, 'ref'];
      if (!target) refIssues.push({ path: at, message: `no activity named "${e.ref}" is declared in this experiment` });
      else if (checked.has(String(path[0])) && (target.type !== 'probe' || target.tolerance === undefined)) refIssues.push({ path: at, message: `"${e.ref}" is not a probe with a tolerance, which this section needs` });
      else return [target];
      return [];
    });
  const [probes, safeguards, method, rollbacks] = lists.map(resolve) as [Activity[], Activity[], Activity[], Activity[]];
  const hypothesis = parsed['steady-state-hypothesis'];
  const controls = experimentControls(parsed.controls, hypothesis?.controls, lists);
  refIssues.push(...controls.issues);
  if (refIssues.length) throw new ConfigError(refIssues.map((i) => source.locate(i)));
  // Python last: a file that is otherwise valid, in one child process for the whole experiment.
  const pythonIssues = options.python ? checkPythonSites(pythonSitesOf(lists, controls.lists), options.python, sysPathFor(file)) : [];
  if (pythonIssues.length) throw new ConfigError(pythonIssues.map((i) => source.locate(i)));

  return {
    file,
    title: parsed.title,
    description: parsed.description,
    tags: parsed.tags ?? [],
    hypothesis: hypothesis && { title: hypothesis.title, probes, duringMs: hypothesis.during, controls: hypothesis.controls },
    method,
    rollbacks,
    safeguards,
    secrets: secretValues(vars),
    ...valuesOf(doc, vars, options.vars ?? {}),
    controls: controls.top,
    runtime: parsed.runtime ?? {},
    ...writtenForms(doc, lists),
  };
}


const entriesOf = (v: unknown): string[] => (v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.keys(v) : []);

/** The configuration (with --var's) and the secrets by scope, resolved, for Python functions and controls. */
function valuesOf(doc: Record<string, unknown>, vars: ReadonlyMap<string, Variable>, overrides: Readonly<Record<string, unknown>>) {
  const value = (name: string) => {
    const v = vars.get(name);
    return v?.kind === 'value' ? [[name, v.value] as const] : [];
  };
  const configuration = Object.fromEntries([...new Set([...entriesOf(doc.configuration), ...Object.keys(overrides)])].flatMap(value));
  const secrets = doc.secrets as Record<string, unknown> | undefined;
  const secretScopes = Object.fromEntries(entriesOf(secrets).map((scope) => [scope, Object.fromEntries(entriesOf(secrets![scope]).flatMap(value))]));
  return { configuration, secretScopes };
}
