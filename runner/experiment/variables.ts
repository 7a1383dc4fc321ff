import type { FieldIssue } from '../../proxy/config/config-error.js';

/** A name `${...}` may use: its value, or why it has none. */
export type Variable = { readonly kind: 'value'; readonly value: unknown; readonly secret: boolean } | { readonly kind: 'missing'; readonly reason: string };

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** A configuration or secret entry: a literal, or `{type: env, key, default}` read from `env`. */
function resolveEntry(entry: unknown, where: string, env: NodeJS.ProcessEnv, secret: boolean): Variable {
  if (isRecord(entry) && entry.type === 'env') {
    const key = String(entry.key);
    const value = env[key];
    if (value !== undefined) return { kind: 'value', value, secret };
    if ('default' in entry) return { kind: 'value', value: entry.default, secret };
    return { kind: 'missing', reason: `environment variable ${key} is not set and ${where} has no default` };
  }
  return { kind: 'value', value: entry, secret };
}

/**
 * Everything `${name}` can stand for: the experiment's configuration, its
 * secrets (every scope), then `--var` overrides, which win. Malformed
 * sections are left to the schema to report.
 */
export function collectVariables(raw: Record<string, unknown>, overrides: Readonly<Record<string, unknown>>, env: NodeJS.ProcessEnv): Map<string, Variable> {
  const vars = new Map<string, Variable>();
  if (isRecord(raw.configuration)) {
    for (const [name, entry] of Object.entries(raw.configuration)) vars.set(name, resolveEntry(entry, `configuration.${name}`, env, false));
  }
  if (isRecord(raw.secrets)) {
    for (const [scope, entries] of Object.entries(raw.secrets)) {
      if (!isRecord(entries)) continue;
      for (const [name, entry] of Object.entries(entries)) vars.set(name, resolveEntry(entry, `secrets.${scope}.${name}`, env, true));
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
