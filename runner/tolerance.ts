import { JSONPath } from 'jsonpath-plus';
import type { Tolerance } from './experiment/tolerance-schema.js';

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Output fields a tolerance reads by default: an http output's body, a process output's stdout. */
function defaultText(value: unknown): unknown {
  if (isRecord(value)) {
    if ('body' in value) return value.body;
    if ('stdout' in value) return value.stdout;
  }
  return value;
}

/**
 * `target` picks a field of the output, as in Chaos Toolkit; a dotted target
 * (`latencyMs.p99`) goes deeper. Without one, or when the field is absent,
 * the value is used as it is.
 */
function pick(value: unknown, target: string | undefined): unknown {
  if (!target) return value;
  if (isRecord(value) && target in value) return value[target];
  let cur: unknown = value;
  for (const key of target.split('.')) {
    if (!isRecord(cur) || !(key in cur)) return value;
    cur = cur[key];
  }
  return cur;
}

function asNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return undefined;
}

const asText = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value) ?? '');

function parseJsonText(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/** Deep equality for JSON values, which is all probe outputs hold. */
const sameJson = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * Whether a probe's output is within its tolerance, read as Chaos Toolkit
 * reads it: a number or list compares with an http or process output's
 * `status`; regex and jsonpath default to its body or stdout.
 *
 * @example withinTolerance(200, { status: 200, headers: {}, body: '' }) // true
 */
export function withinTolerance(tolerance: Tolerance, value: unknown): boolean {
  if (typeof tolerance === 'boolean' || typeof tolerance === 'string') return value === tolerance;
  if (typeof tolerance === 'number') return isRecord(value) && 'status' in value ? value.status === tolerance : value === tolerance;
  if (Array.isArray(tolerance)) {
    if (isRecord(value) && 'status' in value) return tolerance.includes(value.status as number);
    // Chaos Toolkit reads two numbers against a bare value as an inclusive range.
    const n = asNumber(value);
    if (tolerance.length === 2 && n !== undefined && typeof tolerance[0] === 'number' && typeof tolerance[1] === 'number') return tolerance[0] <= n && n <= tolerance[1];
    return tolerance.some((t) => t === value);
  }
  switch (tolerance.type) {
    case 'range': {
      const n = asNumber(pick(value, tolerance.target));
      return n !== undefined && tolerance.range[0] <= n && n <= tolerance.range[1];
    }
    case 'threshold': {
      const n = asNumber(pick(value, tolerance.target));
      return n !== undefined && (tolerance.min === undefined || n >= tolerance.min) && (tolerance.max === undefined || n <= tolerance.max);
    }
    case 'regex':
      return new RegExp(tolerance.pattern).test(asText(tolerance.target ? pick(value, tolerance.target) : defaultText(value)));
    case 'jsonpath': {
      const json = parseJsonText(tolerance.target ? pick(value, tolerance.target) : defaultText(value));
      if (json === null || typeof json !== 'object') return false;
      const found = JSONPath({ path: tolerance.path, json, wrap: true }) as unknown[];
      if (tolerance.expect !== undefined) return sameJson(found, Array.isArray(tolerance.expect) ? tolerance.expect : [tolerance.expect]);
      if (tolerance.count !== undefined) return found.length === tolerance.count;
      return found.length > 0;
    }
    case 'probe':
      return false;
  }
}

/**
 * The part of the output a tolerance looks at, for people reading the
 * journal: `target` when given, the status of an http or process output for
 * the plain forms, the body or stdout for regex and jsonpath.
 */
export function judgedValue(tolerance: Tolerance, output: unknown): unknown {
  if (typeof tolerance !== 'object' || Array.isArray(tolerance)) return isRecord(output) && 'status' in output ? output.status : output;
  if (tolerance.type === 'range' || tolerance.type === 'threshold') return pick(output, tolerance.target);
  if (tolerance.type === 'regex' || tolerance.type === 'jsonpath') return tolerance.target ? pick(output, tolerance.target) : defaultText(output);
  return output;
}

/** A tolerance as a short phrase for progress lines and reports: `= 200`, `>= 0.99`, `~ /ok/`. */
export function describeTolerance(tolerance: Tolerance): string {
  if (typeof tolerance !== 'object') return `= ${JSON.stringify(tolerance)}`;
  if (Array.isArray(tolerance)) return `in ${JSON.stringify(tolerance)}`;
  const of = 'target' in tolerance && tolerance.target ? `${tolerance.target} ` : '';
  switch (tolerance.type) {
    case 'range':
      return `${of}in [${tolerance.range[0]}, ${tolerance.range[1]}]`;
    case 'threshold':
      return [tolerance.min !== undefined ? `${of}>= ${tolerance.min}` : '', tolerance.max !== undefined ? `${of}<= ${tolerance.max}` : ''].filter(Boolean).join(' and ');
    case 'regex':
      return `${of}~ /${tolerance.pattern}/`;
    case 'jsonpath':
      return `${of}${tolerance.path}${tolerance.expect !== undefined ? ` = ${JSON.stringify(tolerance.expect)}` : tolerance.count !== undefined ? ` matches ${tolerance.count}` : ' matches'}`;
    case 'probe':
      return 'probe';
  }
}
