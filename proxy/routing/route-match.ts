import type { IncomingHttpHeaders } from 'node:http';
import { compileGlob } from './glob.js';

/** What routing and fault matching look at in a request. */
export interface RequestFacts {
  readonly method: string;
  /** Path without the query string. */
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
}

export interface MatchSpec {
  readonly method?: string | readonly string[] | undefined;
  readonly path?: string | undefined;
  readonly headers?: Readonly<Record<string, string>> | undefined;
}

export type Matcher = (facts: RequestFacts) => boolean;

/** Compiles a route match once; every given condition must hold. */
export function compileMatch(spec: MatchSpec): Matcher {
  const checks: Matcher[] = [];
  if (spec.method !== undefined) {
    const methods = new Set(typeof spec.method === 'string' ? [spec.method] : spec.method);
    checks.push((f) => methods.has(f.method));
  }
  if (spec.path !== undefined) {
    const re = compileGlob(spec.path);
    checks.push((f) => re.test(f.path));
  }
  for (const [name, value] of Object.entries(spec.headers ?? {})) {
    const key = name.toLowerCase();
    checks.push((f) => headerValue(f.headers, key) === value);
  }
  if (checks.length === 0) return () => true;
  return (f) => {
    for (const check of checks) if (!check(f)) return false;
    return true;
  };
}

/** First value of a header, whether Node gave a string or an array. */
export function headerValue(headers: IncomingHttpHeaders, key: string): string | undefined {
  const v = headers[key];
  return Array.isArray(v) ? v[0] : v;
}
