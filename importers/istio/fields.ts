import type { Findings, Path } from './findings.js';

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * One Istio message (a map in the YAML) being read. Every key a translator
 * reads is ticked off; `finish` then reports each key left: one Istio has but
 * faultmesh cannot express (with what to do instead), or one Istio does not
 * have (a typo, most likely). That is how nothing is dropped silently.
 */
export class Fields {
  private readonly read = new Set<string>();

  private constructor(
    readonly value: Readonly<Record<string, unknown>>,
    readonly path: Path,
    readonly findings: Findings,
    /** Istio's name for the message, for "not a field of" messages: `HTTPRoute`, `TrafficPolicy`. */
    readonly message: string,
  ) {}

  /** The map at `path`, or undefined (reported as invalid) when the value is something else. */
  static of(value: unknown, path: Path, findings: Findings, message: string): Fields | undefined {
    if (isRecord(value)) return new Fields(value, path, findings, message);
    findings.invalid(path, `${message} is a map of fields, not ${describe(value)}`);
    return undefined;
  }

  at(key: string): Path {
    return [...this.path, key];
  }

  has(key: string): boolean {
    return this.value[key] !== undefined && this.value[key] !== null;
  }

  /** The raw value, ticked off as read. */
  raw(key: string): unknown {
    this.read.add(key);
    const v = this.value[key];
    return v === null ? undefined : v;
  }

  string(key: string): string | undefined {
    return this.typed(key, 'a string', (v): v is string => typeof v === 'string');
  }

  number(key: string): number | undefined {
    return this.typed(key, 'a number', (v): v is number => typeof v === 'number' && Number.isFinite(v));
  }

  boolean(key: string): boolean | undefined {
    return this.typed(key, 'true or false', (v): v is boolean => typeof v === 'boolean');
  }

  list(key: string): unknown[] | undefined {
    return this.typed(key, 'a list', Array.isArray);
  }

  object(key: string, message: string): Fields | undefined {
    const v = this.raw(key);
    return v === undefined ? undefined : Fields.of(v, this.at(key), this.findings, message);
  }

  /** A map of strings (labels), or undefined (reported) when any value is not a string. */
  strings(key: string): Record<string, string> | undefined {
    const v = this.raw(key);
    if (v === undefined) return undefined;
    if (!isRecord(v)) return void this.findings.invalid(this.at(key), `${key} is a map of strings, not ${describe(v)}`);
    const out: Record<string, string> = {};
    for (const [k, value] of Object.entries(v)) {
      if (typeof value !== 'string') return void this.findings.invalid([...this.at(key), k], `label values are strings (quote numbers: "${String(value)}")`);
      out[k] = value;
    }
    return out;
  }

  /** Ticks a key off without reading it: a field that needs no translation (`name`, the default `gateways: [mesh]`). */
  accept(...keys: string[]): void {
    for (const key of keys) this.read.add(key);
  }

  /**
   * Reports every key not read: those in `untranslated` with their advice
   * (what faultmesh cannot do, and what to do instead), any other as not a
   * field of the Istio message.
   */
  finish(untranslated: Readonly<Record<string, string>> = {}): void {
    for (const key of Object.keys(this.value)) {
      if (this.read.has(key) || this.value[key] === null) continue;
      const advice = untranslated[key];
      this.findings.untranslated(this.at(key), advice ?? `not a field of Istio's ${this.message} (a typo?); left out`, true);
    }
  }

  private typed<T>(key: string, what: string, test: (v: unknown) => v is T): T | undefined {
    const v = this.raw(key);
    if (v === undefined) return undefined;
    if (test(v)) return v;
    this.findings.invalid(this.at(key), `${key} is ${what}, not ${describe(v)}`);
    return undefined;
  }
}

/** A value in a few words, for "is X, not Y" messages. */
export function describe(v: unknown): string {
  if (Array.isArray(v)) return 'a list';
  if (isRecord(v)) return 'a map';
  if (typeof v === 'string') return `"${v.length > 40 ? `${v.slice(0, 40)}…` : v}"`;
  return String(v);
}
