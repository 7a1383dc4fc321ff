import { formatDuration } from '../../proxy/config/duration.js';
import { faultRuleSchema, type FaultRuleSpec } from '../../proxy/faults/fault-rule-schema.js';
import type { AdminReply } from '../../proxy/admin/admin-client.js';
import { describeMatch } from '../../runner/describe.js';

// A live rule as `faults list` shows it, in words and as JSON, the same
// whether a proxy listed it (delays parsed) or a control plane (as sent).

type Rule = Record<string, unknown>;
/** A rule without its lease: what it does and to which requests. */
export type RuleSpec = Omit<FaultRuleSpec, 'ttl'>;

/** What the admin APIs add to a listed rule, beside the rule itself. */
const LISTING_FIELDS = ['createdAt', 'expiresAt', 'counts', 'proxies', 'lease', 'ttl'] as const;

/** A delay as a proxy lists it (parsed) back in the form a rule is written in; one written form stays as it is. */
function writtenDelay(d: unknown): unknown {
  const p = d as { form?: string; ms?: number; minMs?: number; maxMs?: number; meanMs?: number; stddevMs?: number } | undefined;
  const ms = (n: number | undefined) => `${n}ms`;
  if (p?.form === 'fixed') return { fixed: ms(p.ms) };
  if (p?.form === 'uniform') return { min: ms(p.minMs), max: ms(p.maxMs) };
  if (p?.form === 'normal') return { mean: ms(p.meanMs), stddev: ms(p.stddevMs) };
  return d;
}

/**
 * A rule, as written or as listed by either admin API, parsed by the rule
 * schema into one form (defaults filled, durations in ms), without its
 * lease; undefined for what the schema refuses (a newer server's field).
 */
export function ruleSpecOf(rule: Rule): RuleSpec | undefined {
  const spec: Rule = { ...rule };
  for (const f of LISTING_FIELDS) delete spec[f];
  if (spec.delay !== undefined) spec.delay = writtenDelay(spec.delay);
  const parsed = faultRuleSchema.safeParse({ ...spec, ttl: '1s' });
  if (!parsed.success) return undefined;
  const { ttl: _ttl, ...out } = parsed.data;
  return out;
}

/** JSON with keys sorted, so two specs compare by content, not by the order a server wrote them in. */
const canonical = (v: unknown): string =>
  JSON.stringify(v, (_k, x: unknown) => (x !== null && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : 1))) : x));

/** Whether a rule in force is the one given, but for its lease (a re-added file: renew it). */
export function sameRule(inForce: Rule, given: Rule): boolean {
  const a = ruleSpecOf(inForce);
  const b = ruleSpecOf(given);
  return a !== undefined && b !== undefined && canonical({ ...a, id: undefined }) === canonical({ ...b, id: undefined });
}

/** What a rule does, with its amounts: `abort 503`, `delay 100ms..400ms`, `reset`, `throttle 1024 B/s`, joined by `+`. */
export function describeActions(spec: RuleSpec): string {
  const parts: string[] = [];
  if (spec.abort) parts.push(`abort ${spec.abort.status}`);
  const d = spec.delay;
  if (d) parts.push(`delay ${d.form === 'fixed' ? formatDuration(d.ms) : d.form === 'uniform' ? `${formatDuration(d.minMs)}..${formatDuration(d.maxMs)}` : `${formatDuration(d.meanMs)}±${formatDuration(d.stddevMs)}`}`);
  if (spec.reset) parts.push('reset');
  if (spec.hang) parts.push('hang');
  if (spec.throttle) parts.push(`throttle ${spec.throttle.bytesPerSecond} B/s`);
  return parts.join('+');
}

const remainingMs = (rule: Rule, now: number) => Math.max(0, Date.parse(String(rule.expiresAt)) - now);
const countsOf = (rule: Rule) => ({ matched: 0, hit: 0, active: 0, ...(rule.counts as object | undefined) }) as { matched: number; hit: number; active: number };

/**
 * One live rule in a line: id, target, action with its amounts, share,
 * phase, match, origin, lease left and counts.
 * @example listLine(rule, Date.now()) // '  pay-503  target=payments  abort 503  10%  request  where customers=acme  expires in 300s  matched=4 hit=1 active=0'
 */
export function listLine(rule: Rule, now: number): string {
  const spec = ruleSpecOf(rule);
  const counts = countsOf(rule);
  const what = spec ? `${describeActions(spec)}  ${spec.percentage}%  ${spec.phase}` : 'a rule this CLI cannot read (a newer server?)';
  const match = describeMatch(spec?.match ?? rule.match);
  const extra = [spec?.maxActive !== undefined ? `max ${spec.maxActive} active` : '', spec?.seed !== undefined ? `seed ${String(spec.seed)}` : ''].filter(Boolean).join('  ');
  const origin = typeof rule.origin === 'string' ? `  from ${rule.origin}` : '';
  const lease = typeof rule.lease === 'string' ? ` (lease ${rule.lease})` : '';
  return `  ${String(rule.id)}  target=${String(rule.target)}  ${what}${match ? `  where ${match}` : ''}${extra ? `  ${extra}` : ''}${origin}  expires in ${Math.round(remainingMs(rule, now) / 1000)}s${lease}  matched=${counts.matched} hit=${counts.hit} active=${counts.active}`;
}

/** One proxy's (or control plane's) list, as `faults list` prints it; `resume` is the command that ends a halt there. */
export function listText(r: AdminReply, now: number, resume = 'faultmesh faults resume'): string {
  const faults = (r.body.faults as Rule[] | undefined) ?? [];
  const head = `${faults.length} fault${faults.length === 1 ? '' : 's'}${r.body.halted ? `, HALTED: faults are refused until ${resume}` : ''}`;
  return [head, ...faults.map((f) => listLine(f, now))].join('\n');
}

/**
 * One live rule in `faults list --json`: the rule as the schema parses it
 * (delay as `{form, ms…}`, defaults filled), then its lease and counts;
 * `lease`, `origin` and `proxies` only where the server gives them.
 */
export function jsonRule(rule: Rule, now: number): Record<string, unknown> {
  const spec = ruleSpecOf(rule) ?? {};
  return {
    ...spec,
    id: String(rule.id),
    target: String(rule.target),
    createdAt: rule.createdAt,
    expiresAt: rule.expiresAt,
    remainingMs: remainingMs(rule, now),
    ...(typeof rule.lease === 'string' ? { lease: rule.lease } : {}),
    ...(Array.isArray(rule.proxies) ? { proxies: rule.proxies } : {}),
    counts: countsOf(rule),
  };
}

/**
 * `faults list --json`: one entry per admin asked, in the order given:
 * `{admin, halted, faults}`, or `{admin, error: {status, code, message}}`
 * (status 0: no answer).
 */
export function jsonList(replies: readonly AdminReply[], isOk: (r: AdminReply) => boolean, now: number): { admins: Array<Record<string, unknown>> } {
  return {
    admins: replies.map((r) =>
      isOk(r)
        ? { admin: r.admin, halted: r.body.halted === true, faults: ((r.body.faults as Rule[] | undefined) ?? []).map((f) => jsonRule(f, now)) }
        : { admin: r.admin, error: { status: r.status, code: String(r.body.code ?? ''), message: String(r.body.message ?? '') } },
    ),
  };
}
