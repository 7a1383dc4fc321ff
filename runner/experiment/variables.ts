import type { FieldIssue } from '../../proxy/config/config-error.js';
import type { EnvVarType } from './configuration-schema.js';
import { convertEnvValue } from './env-var-type.js';

/** A name `${...}` may use: its value, or why it has none. */
export type Variable = { readonly kind: 'value'; readonly value: unknown; readonly secret: boolean } | { readonly kind: 'missing'; readonly reason: string };

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * A configuration or secret entry, as chaoslib resolves it: a literal, or
 * `{type: env, key, default, env_var_type}` read from `env` and converted
 * (configuration only: chaoslib converts no secret). A secret that is a
 * mapping of entries is resolved inside, to a mapping.
 */
function resolveEntry(entry: unknown, where: string, env: NodeJS.ProcessEnv, secret: boolean): Variable {
  if (isRecord(entry) && entry.type === 'env') {
    const key = String(entry.key);
    const text = env[key];
    if (text === undefined && !('default' in entry)) return { kind: 'missing', reason: `environment variable ${key} is not set and ${where} has no default` };
    const type = secret ? undefined : (entry.env_var_type as EnvVarType | undefined);
    const converted = convertEnvValue(type, text ?? entry.default);
    if (converted.ok) return { kind: 'value', value: converted.value, secret };
    const from = text === undefined ? `${where}'s default` : `environment variable ${key}`;
    return { kind: 'missing', reason: `${from} is ${JSON.stringify(text ?? entry.default)}, ${converted.why} (env_var_type: ${type})` };
  }
  if (secret && isRecord(entry) && !('type' in entry)) {
    const inner: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(entry)) {
      const v = resolveEntry(value, `${where}.${name}`, env, secret);
      if (v.kind !== 'value') return v;
      inner[name] = v.value;
    }
    return { kind: 'value', value: inner, secret };
  }
  return { kind: 'value', value: entry, secret };
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
    for (const [name, entry] of Object.entries(raw.configuration)) vars.set(name, resolveEntry(entry, `configuration.${name}`, env, false));
  }
  if (isRecord(raw.secrets)) {
    for (const [scope, entries] of Object.entries(raw.secrets)) {
      if (!isRecord(entries)) continue;
      // As chaoslib looks names up: configuration first, then the scopes in order; the first that declares a name wins.
      for (const [name, entry] of Object.entries(entries)) if (!vars.has(name)) vars.set(name, resolveEntry(entry, `secrets.${scope}.${name}`, env, true));
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

/** Values a journal must not show: every secret that has one, as text. */
export function secretValues(vars: ReadonlyMap<string, Variable>): string[] {
  return [...vars.values()].flatMap((v) => (v.kind === 'value' && v.secret && v.value !== undefined && v.value !== null && String(v.value).length > 0 ? [String(v.value)] : []));
}
