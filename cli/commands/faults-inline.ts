import type { Argv } from 'yargs';
import { explainIssues, formatPath } from '../../proxy/config/config-error.js';
import { faultRuleSchema } from '../../proxy/faults/fault-rule-schema.js';
import { UsageError } from '../exit.js';

// `faults add --target payments --abort 503 --customer acme --ttl 5m`: a rule
// written as flags, checked by the schema a rule file is, each error named
// by the flag that gave the field.

/** Each flag of an inline rule, the rule field it fills, and what it says in help. */
const MATCH_FLAGS = {
  host: ['hosts', 'match requests to this Host (repeat, or a,b)'],
  region: ['regions', 'match the chosen instance\'s region (repeat, or a,b)'],
  zone: ['zones', 'match the chosen instance\'s zone (repeat, or a,b)'],
  customer: ['customers', 'match this customer, from the mesh\'s customer header (repeat, or a,b)'],
  source: ['sources', 'match calls from this service (repeat, or a,b)'],
  path: ['paths', 'match this path glob, such as /charge/* (repeat, or a,b)'],
  method: ['methods', 'match this HTTP method (repeat, or GET,POST)'],
} as const;

const PAIR_FLAGS = {
  header: [['match', 'headers'], 'match requests with this header value, NAME=VALUE (repeat)'],
  label: [['match', 'labels'], 'match the chosen instance\'s label, NAME=VALUE (repeat)'],
  'abort-header': [['abort', 'headers'], 'a header of the aborted response, NAME=VALUE (repeat)'],
} as const;

const ACTION_FLAGS = {
  abort: 'answer with this status (200-599) instead of calling the service',
  'abort-body': 'the body of the aborted response',
  delay: 'delay each call: 400ms, or a uniform range 100ms..400ms (or the mean, with --delay-stddev)',
  'delay-stddev': 'make the delay normal: --delay is its mean, this its standard deviation',
  throttle: 'slow the response body to this many bytes per second',
  phase: 'apply the fault before calling the service (request, the default) or to its response',
} as const;

const OTHER_FLAGS = {
  target: 'the service the rule is for, or "*" for every service (required without a file)',
  id: 'the rule id (default: a new one); adding the same rule again under it renews its lease',
  percentage: 'the share of matching requests the fault hits, 0 to 100 (default 100)',
  'max-active': 'at most this many requests faulted at once',
  seed: 'seed of the percentage roll, to replay the same sampling',
} as const;

/** Every flag that writes part of an inline rule (--reset and --hang are booleans; --ttl is shared with Istio files). */
export const RULE_FLAGS: readonly string[] = [...Object.keys(MATCH_FLAGS), ...Object.keys(PAIR_FLAGS), ...Object.keys(ACTION_FLAGS), ...Object.keys(OTHER_FLAGS), 'reset', 'hang'];

/** Flags that may be given more than once in `faults add` (cli/main.ts lets them repeat). */
export const REPEATABLE_RULE_FLAGS: readonly string[] = [...Object.keys(MATCH_FLAGS), ...Object.keys(PAIR_FLAGS)];

/** Adds the inline rule's flags to `faults add`. */
export function withRuleFlags(y: Argv): Argv {
  let out = y;
  for (const [flag, describe] of Object.entries({ ...OTHER_FLAGS, ...ACTION_FLAGS })) out = out.option(flag, { type: 'string', requiresArg: true, describe, group: 'Rule (instead of a file):' });
  out = out.option('reset', { type: 'boolean', describe: 'reset the connection instead of answering', group: 'Rule (instead of a file):' });
  out = out.option('hang', { type: 'boolean', describe: 'never answer, until the caller gives up', group: 'Rule (instead of a file):' });
  for (const [flag, [, describe]] of Object.entries(MATCH_FLAGS)) out = out.option(flag, { type: 'string', requiresArg: true, describe, group: 'Match (instead of a file):' });
  for (const [flag, [, describe]] of Object.entries(PAIR_FLAGS)) out = out.option(flag, { type: 'string', requiresArg: true, describe, group: flag === 'abort-header' ? 'Rule (instead of a file):' : 'Match (instead of a file):' });
  return out;
}

type Flags = Readonly<Record<string, unknown>>;

/** True when any flag of an inline rule was given. */
export const hasRuleFlags = (args: Flags): boolean => RULE_FLAGS.some((f) => args[f] !== undefined && args[f] !== false);

/** A flag's values: repeated, or a comma list in one. */
const listOf = (v: unknown): string[] => (Array.isArray(v) ? v : [v]).flatMap((s) => String(s).split(',')).map((s) => s.trim()).filter(Boolean);
/** A flag given once: the last value when repeated (yargs makes an array). */
const one = (v: unknown): string => String(Array.isArray(v) ? v[v.length - 1] : v);

function pairsOf(flag: string, v: unknown, errors: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of Array.isArray(v) ? v : [v]) {
    const text = String(item);
    const eq = text.indexOf('=');
    if (eq <= 0) errors.push(`--${flag}: "${text}" is not NAME=VALUE`);
    else out[text.slice(0, eq).trim()] = text.slice(eq + 1);
  }
  return out;
}

/** A number as a flag gives it, or the text itself for the schema to refuse with its own words. */
const numberOr = (text: string): number | string => (/^-?\d+(\.\d+)?$/.test(text.trim()) ? Number(text) : text);

/** `--delay 400ms`, `--delay 100ms..400ms`, `--delay 400ms --delay-stddev 50ms`, as the rule's delay field. */
function delayOf(args: Flags): Record<string, string> {
  const text = one(args.delay);
  if (args['delay-stddev'] !== undefined) return { mean: text, stddev: one(args['delay-stddev']) };
  const range = /^(.+?)\.\.(.+)$/.exec(text);
  return range ? { min: range[1]!.trim(), max: range[2]!.trim() } : { fixed: text };
}

/** The rule field each flag fills, to name the flag in the schema's errors. */
function flagOf(path: readonly PropertyKey[]): string {
  const [head, sub] = path;
  if (head === 'match') {
    const m = Object.entries(MATCH_FLAGS).find(([, [field]]) => field === sub);
    if (m) return `--${m[0]}`;
    return sub === 'headers' ? '--header' : sub === 'labels' ? '--label' : '--target';
  }
  if (head === 'abort') return sub === 'body' ? '--abort-body' : sub === 'headers' ? '--abort-header' : '--abort';
  if (head === 'delay') return '--delay';
  if (head === 'maxActive') return '--max-active';
  return typeof head === 'string' ? `--${head}` : 'the rule';
}

/**
 * The rule the flags write, validated whole by the rule schema; every
 * problem is named by its flag (exit 2).
 * @example ruleFromFlags({ target: 'payments', abort: '503', customer: 'acme', ttl: '5m' }) // { target: 'payments', abort: { status: 503 }, match: { customers: ['acme'] }, ttl: '5m' }
 */
export function ruleFromFlags(args: Flags, defaultTtl: string): Record<string, unknown> {
  const errors: string[] = [];
  const rule: Record<string, unknown> = {};
  if (args.id !== undefined) rule.id = one(args.id);
  if (args.target === undefined) errors.push('--target: name the service the rule is for (or "*"), or give a rule file instead of flags');
  else rule.target = one(args.target);
  const match: Record<string, unknown> = {};
  for (const [flag, [field]] of Object.entries(MATCH_FLAGS)) if (args[flag] !== undefined) match[field] = listOf(args[flag]);
  if (args.header !== undefined) match.headers = pairsOf('header', args.header, errors);
  if (args.label !== undefined) match.labels = pairsOf('label', args.label, errors);
  if (Object.keys(match).length) rule.match = match;
  if (args.percentage !== undefined) rule.percentage = numberOr(one(args.percentage));
  if (args.abort !== undefined || args['abort-body'] !== undefined || args['abort-header'] !== undefined) {
    if (args.abort === undefined) errors.push('--abort: give the status to answer with; --abort-body and --abort-header shape that answer');
    rule.abort = {
      status: args.abort === undefined ? 503 : numberOr(one(args.abort)),
      ...(args['abort-body'] !== undefined ? { body: one(args['abort-body']) } : {}),
      ...(args['abort-header'] !== undefined ? { headers: pairsOf('abort-header', args['abort-header'], errors) } : {}),
    };
  }
  if (args['delay-stddev'] !== undefined && args.delay === undefined) errors.push('--delay-stddev: give --delay too, the mean of the delay');
  if (args.delay !== undefined) rule.delay = delayOf(args);
  if (args.reset) rule.reset = true;
  if (args.hang) rule.hang = true;
  if (args.throttle !== undefined) rule.throttle = { bytesPerSecond: numberOr(one(args.throttle)) };
  if (args.phase !== undefined) rule.phase = one(args.phase);
  if (args['max-active'] !== undefined) rule.maxActive = numberOr(one(args['max-active']));
  if (args.seed !== undefined) rule.seed = one(args.seed);
  rule.ttl = args.ttl === undefined ? defaultTtl : one(args.ttl);

  const parsed = faultRuleSchema.safeParse(rule);
  if (!parsed.success) {
    for (const i of explainIssues(parsed.error.issues, rule)) {
      if (i.path.length === 0) errors.push(i.message.startsWith('a fault needs') ? 'give an action: --abort STATUS, --delay D, --reset, --hang or --throttle BYTES_PER_SECOND' : i.message);
      // The target's own check already said it when --target is missing.
      else if (!(i.path[0] === 'target' && args.target === undefined)) errors.push(`${flagOf(i.path)}: ${i.message}${i.path.length > 2 ? ` (${formatPath(i.path)})` : ''}`);
    }
  }
  if (errors.length) throw new UsageError(`faults add: ${errors.length === 1 ? errors[0] : `the rule's flags are refused:\n  ${errors.join('\n  ')}`}`);
  return rule;
}
