import { describeActions, ruleSpecOf } from '../../cli/commands/faults-view.js';
import { describeMatch } from '../../runner/describe.js';

/**
 * A fault rule in a few words for the faults panel: what it matches and
 * what it does, in the words of `faultmesh faults list` (`delay 400ms`,
 * `methods=GET`). Takes the rule as the control plane stores it (durations
 * as sent, `"0.4s"`) and as a proxy describes it (a parsed delay); a rule
 * the schema does not read (a newer field) is shown as it came, never thrown on.
 */

type Spec = Record<string, unknown>;

const list = (v: unknown): string => (Array.isArray(v) ? v.map(String).join(', ') : String(v));
const duration = (v: unknown): string => (typeof v === 'number' ? `${v}ms` : String(v));

/** `customers=acme paths=/buy*` or `every request`. */
export function matchPhrase(spec: Spec): string {
  const parsed = ruleSpecOf(spec);
  if (parsed) return describeMatch(parsed.match) || 'every request';
  const match = (spec.match ?? {}) as Record<string, unknown>;
  const parts: string[] = [];
  for (const [key, value] of Object.entries(match)) {
    if (value === undefined) continue;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      parts.push(`${key} ${Object.entries(value as Record<string, unknown>).map(([k, v]) => `${k}=${String(v)}`).join(', ')}`);
    } else parts.push(`${key} ${list(value)}`);
  }
  return parts.length ? parts.join('; ') : 'every request';
}

function delayPhrase(d: Record<string, unknown>): string {
  if (d.form === 'fixed') return `delay ${duration(d.ms)}`;
  if (d.form === 'uniform') return `delay ${duration(d.minMs)}–${duration(d.maxMs)}`;
  if (d.form === 'normal') return `delay ~${duration(d.meanMs)} ±${duration(d.stddevMs)}`;
  if (d.fixed !== undefined) return `delay ${duration(d.fixed)}`;
  if (d.min !== undefined) return `delay ${duration(d.min)}–${duration(d.max)}`;
  if (d.mean !== undefined) return `delay ~${duration(d.mean)} ±${duration(d.stddev)}`;
  return 'delay';
}

/** `abort 503+delay 300ms`: every action of the rule, as the CLI lists them. */
export function actionPhrase(spec: Spec): string {
  const parsed = ruleSpecOf(spec);
  if (parsed) return describeActions(parsed) || 'none';
  const parts: string[] = [];
  if (spec.delay && typeof spec.delay === 'object') parts.push(delayPhrase(spec.delay as Record<string, unknown>));
  if (spec.abort && typeof spec.abort === 'object') parts.push(`abort ${String((spec.abort as Record<string, unknown>).status)}`);
  if (spec.reset) parts.push('reset');
  if (spec.hang) parts.push('hang');
  if (spec.throttle && typeof spec.throttle === 'object') parts.push(`throttle ${String((spec.throttle as Record<string, unknown>).bytesPerSecond)} B/s`);
  return parts.join(', ') || 'none';
}
