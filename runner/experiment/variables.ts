import { formatPath, type FieldIssue } from '../../proxy/config/config-error.js';
import { ENV_VAR_TYPES, type EnvVarType } from './configuration-schema.js';
import { convertEnvValue } from './env-var-type.js';

/** An entry that has no value, at its own path, and why (`environment variable K is not set and the entry has no default`). */
export interface Unresolved {
  readonly path: readonly PropertyKey[];
  readonly why: string;
}

/**
 * A name `${...}` may use: its value, or why it has none. A missing one's
 * `reason` is said where it is used; `unresolved` holds the entries without a
 * value (several, inside a mapping of secrets), said where they are declared.
 */
export type Variable = { readonly kind: 'value'; readonly value: unknown; readonly secret: boolean } | { readonly kind: 'missing'; readonly reason: string; readonly unresolved: readonly Unresolved[] };

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const isEnvVarType = (t: unknown): t is EnvVarType | undefined => t === undefined || (ENV_VAR_TYPES as readonly unknown[]).includes(t);

/**
 * A configuration or secret entry, as chaoslib resolves it: a literal, or
 * `{type: env, key, default, env_var_type}` read from `env` and converted
 * (configuration only: chaoslib converts no secret). A secret that is a
 * mapping of entries is resolved inside, to a mapping. A malformed env entry
 * has no value and no unresolved entry of its own: the schema reports it.
 */
function resolveEntry(entry: unknown, path: readonly PropertyKey[], env: NodeJS.ProcessEnv, secret: boolean): Variable {
  const where = formatPath(path);
  if (isRecord(entry) && entry.type === 'env') {
    const type = secret ? undefined : entry.env_var_type;
    if (typeof entry.key !== 'string' || !entry.key || !isEnvVarType(type)) return { kind: 'missing', reason: `${where} is not a valid entry (see its error)`, unresolved: [] };
    const key = entry.key;
    const text = env[key];
    if (text === undefined && !('default' in entry)) {
      return { kind: 'missing', reason: `environment variable ${key} is not set and ${where} has no default`, unresolved: [{ path, why: `environment variable ${key} is not set and the entry has no default` }] };
    }
    const converted = convertEnvValue(type, text ?? entry.default);
    if (converted.ok) return { kind: 'value', value: converted.value, secret };
    const bad = `is ${JSON.stringify(text ?? entry.default)}, ${converted.why} (env_var_type: ${type})`;
    const from = (defaultIs: string) => (text === undefined ? `${defaultIs} ${bad}` : `environment variable ${key} ${bad}`);
    return { kind: 'missing', reason: from(`${where}'s default`), unresolved: [{ path, why: from("the entry's default") }] };
  }
  if (secret && isRecord(entry) && !('type' in entry)) {
    const inner: Record<string, unknown> = {};
    const missing: Array<Extract<Variable, { kind: 'missing' }>> = [];
    for (const [name, value] of Object.entries(entry)) {
      const v = resolveEntry(value, [...path, name], env, secret);
      if (v.kind === 'value') inner[name] = v.value;
      else missing.push(v);
    }
    if (missing.length) return { kind: 'missing', reason: missing[0]!.reason, unresolved: missing.flatMap((m) => m.unresolved) };
    return { kind: 'value', value: inner, secret };
  }
  return { kind: 'value', value: entry, secret };
}

/** Every configuration and secret entry of the file, resolved on its own (a secret's own value, even when the configuration declares the same name). */
function everyEntry(raw: Record<string, unknown>, env: NodeJS.ProcessEnv): Array<{ readonly scope: string | undefined; readonly name: string; readonly variable: Variable }> {
  const out: Array<{ scope: string | undefined; name: string; variable: Variable }> = [];
  if (isRecord(raw.configuration)) {
    for (const [name, entry] of Object.entries(raw.configuration)) out.push({ scope: undefined, name, variable: resolveEntry(entry, ['configuration', name], env, false) });
  }
  if (isRecord(raw.secrets)) {
    for (const [scope, entries] of Object.entries(raw.secrets)) {
      if (!isRecord(entries)) continue;
      for (const [name, entry] of Object.entries(entries)) out.push({ scope, name, variable: resolveEntry(entry, ['secrets', scope, name], env, true) });
    }
  }
  return out;
}

/**
 * Every configuration and secret entry without a value, at its own path,
 * whether or not a `${}` uses it: chaoslib's load_configuration and
 * load_secrets refuse the experiment then, because a function handed its
 * secrets by scope would otherwise run without one (chaosk8s falls back to
 * the current kubeconfig, maybe another cluster). A name `--var` gives is
 * not missing, as chaoslib's extra vars are not.
 *
 * @example unresolvedEntries({ secrets: { k8s: { host: { type: 'env', key: 'K8S_HOST' } } } }, {}, {}) // [{ path: ['secrets', 'k8s', 'host'], message: 'environment variable K8S_HOST is not set and the entry has no default', atKey: true }]
 */
export function unresolvedEntries(raw: Record<string, unknown>, overrides: Readonly<Record<string, unknown>>, env: NodeJS.ProcessEnv): FieldIssue[] {
  return everyEntry(raw, env)
    .filter((e) => !Object.hasOwn(overrides, e.name) && e.variable.kind === 'missing')
    .flatMap((e) => (e.variable.kind === 'missing' ? e.variable.unresolved : []).map((u) => ({ path: u.path, message: u.why, atKey: true })));
}

/**
 * The secrets by scope, as Python functions get their declared scopes: each
 * scope's own values (a `--var` of the name wins); an entry without a value
 * is left out (unresolvedEntries reports it).
 */
export function secretScopesOf(raw: Record<string, unknown>, overrides: Readonly<Record<string, unknown>>, env: NodeJS.ProcessEnv): Record<string, Record<string, unknown>> {
  const scopes: Record<string, Record<string, unknown>> = {};
  if (isRecord(raw.secrets)) for (const [scope, entries] of Object.entries(raw.secrets)) if (isRecord(entries)) scopes[scope] = {};
  for (const { scope, name, variable } of everyEntry(raw, env)) {
    if (scope === undefined) continue;
    if (Object.hasOwn(overrides, name)) scopes[scope]![name] = overrides[name];
    else if (variable.kind === 'value') scopes[scope]![name] = variable.value;
  }
  return scopes;
}

/**
 * Everything `${name}` can stand for: the experiment's configuration, its
 * secrets (every scope; a name the configuration or an earlier scope
 * declares is theirs, as Chaos Toolkit has it), then `--var` overrides,
 * which win. Malformed sections are left to the schema to report.
 */
export function collectVariables(raw: Record<string, unknown>, overrides: Readonly<Record<string, unknown>>, env: NodeJS.ProcessEnv): Map<string, Variable> {
  const vars = new Map<string, Variable>();
  if (isRecord(raw.configuration)) {
    for (const [name, entry] of Object.entries(raw.configuration)) vars.set(name, resolveEntry(entry, ['configuration', name], env, false));
  }
  if (isRecord(raw.secrets)) {
    for (const [scope, entries] of Object.entries(raw.secrets)) {
      if (!isRecord(entries)) continue;
      // As chaoslib looks names up: configuration first, then the scopes in order; the first that declares a name wins.
      for (const [name, entry] of Object.entries(entries)) if (!vars.has(name)) vars.set(name, resolveEntry(entry, ['secrets', scope, name], env, true));
    }
  }
  for (const [name, value] of Object.entries(overrides)) vars.set(name, { kind: 'value', value, secret: vars.get(name)?.kind === 'value' && (vars.get(name) as { secret: boolean }).secret });
  return vars;
}

const WHOLE = /^\$\{([A-Za-z_][\w.-]*)\}$/;
const ANY = /\$\{([A-Za-z_][\w.-]*)\}/g;

/**
 * Replaces `${name}` in every string under `value`. A string that is only
 * `${name}` takes the variable's own type (a list of admin URLs, a number);
 * inside a longer string the value is spliced in as text. Unknown and unset
 * names become issues at the string's path, so every one is reported.
 */
export function substitute(value: unknown, vars: ReadonlyMap<string, Variable>, path: readonly PropertyKey[], issues: FieldIssue[]): unknown {
  if (typeof value === 'string') {
    const lookup = (name: string): unknown => {
      const v = vars.get(name);
      if (!v) issues.push({ path, message: `\${${name}} is not declared: add it under configuration or secrets, or pass --var ${name}=VALUE` });
      else if (v.kind === 'missing') issues.push({ path, message: `\${${name}}: ${v.reason}` });
      else return v.value;
      return undefined;
    };
    const whole = WHOLE.exec(value);
    if (whole) return lookup(whole[1]!) ?? value;
    return value.replace(ANY, (text, name: string) => {
      const v = lookup(name);
      if (v === undefined) return text;
      return typeof v === 'string' ? v : JSON.stringify(v);
    });
  }
  if (Array.isArray(value)) return value.map((item, i) => substitute(item, vars, [...path, i], issues));
  if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, vars, [...path, k], issues)]));
  return value;
}

/** The texts inside a value: a mapping of secrets is masked by each of its values, not by "[object Object]". */
const leaves = (v: unknown): string[] => {
  if (v === undefined || v === null) return [];
  if (Array.isArray(v)) return v.flatMap(leaves);
  if (isRecord(v)) return Object.values(v).flatMap(leaves);
  const text = String(v);
  return text.length > 0 ? [text] : [];
};

/**
 * Text with every secret value replaced by ***: what journals, progress
 * lines and the dashboard show of an experiment.
 * @example const mask = masker(experiment.secrets); mask(`token ${secret}`) // 'token ***'
 */
export const masker = (secrets: readonly string[]) => (text: string): string => secrets.reduce((s, secret) => s.split(secret).join('***'), text);

/**
 * Values a journal must not show, as text: every secret `${}` can name, and
 * every value of `scopes` (a scope's own secret whose name the configuration
 * also declares is in no variable, and is masked all the same).
 */
export function secretValues(vars: ReadonlyMap<string, Variable>, scopes: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {}): string[] {
  const fromVars = [...vars.values()].flatMap((v) => (v.kind === 'value' && v.secret ? leaves(v.value) : []));
  return [...new Set([...fromVars, ...Object.values(scopes).flatMap(leaves)])];
}
