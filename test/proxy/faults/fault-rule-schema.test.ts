import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { explainIssues, formatPath } from '../../../proxy/config/config-error.js';
import { faultRuleListSchema, faultRuleSchema } from '../../../proxy/faults/fault-rule-schema.js';

function errorsOf(rule: unknown): string[] {
  const r = faultRuleSchema.safeParse(rule);
  assert.equal(r.success, false, 'the rule was accepted');
  return explainIssues(r.error!.issues, rule).map((i) => `${formatPath(i.path)}: ${i.message}`);
}

describe('fault rule schema', () => {
  it('parses a full rule into typed actions', () => {
    const rule = faultRuleSchema.parse({
      id: 'pay-503',
      target: 'payments',
      match: { hosts: ['payments-eu-1'], methods: ['post'], paths: ['/api/pay/*'], headers: { 'x-debug': '1' } },
      percentage: 12.5,
      abort: { status: 503, body: 'payments unavailable', headers: { 'retry-after': '1' } },
      delay: { min: '100ms', max: '400ms' },
      ttl: '60s',
      seed: 42,
      maxActive: 50,
    });
    assert.deepEqual(rule.delay, { form: 'uniform', minMs: 100, maxMs: 400 });
    assert.equal(rule.ttl, 60_000);
    assert.equal(rule.phase, 'request');
    assert.deepEqual(rule.match.methods, ['POST']);
  });

  it('takes the chosen instance\'s labels as a matcher', () => {
    const rule = faultRuleSchema.parse({ target: 'catalog', match: { labels: { version: 'v2' } }, abort: { status: 503 }, ttl: '30s' });
    assert.deepEqual(rule.match.labels, { version: 'v2' });
  });

  const base = { target: 'payments', ttl: '30s' };
  const cases: Array<[string, unknown, string]> = [
    ['no action', { ...base }, ': a fault needs at least one action'],
    ['no ttl', { target: 'payments', abort: { status: 503 } }, 'ttl: required field is missing'],
    ['a ttl without unit', { ...base, ttl: '30', abort: { status: 503 } }, 'ttl: "30" is not a duration'],
    ['a zero ttl', { ...base, ttl: '0s', abort: { status: 503 } }, 'ttl: ttl must be above 0'],
    ['no target', { ttl: '30s', abort: { status: 503 } }, 'target: required field is missing'],
    ['a target with capital letters', { ...base, target: 'Payments', abort: { status: 503 } }, 'target: service names are lower case: hosts match case-insensitively, so "Payments" could never be reached; write "payments"'],
    ['a status out of range', { ...base, abort: { status: 700 } }, 'abort.status: abort status must be 200 to 599'],
    ['a percentage above 100', { ...base, percentage: 150, abort: { status: 503 } }, 'percentage: percentage is 0 to 100'],
    ['two delay forms', { ...base, delay: { fixed: '1s', mean: '1s', stddev: '1ms' } }, 'delay: delay takes one form'],
    ['min above max', { ...base, delay: { min: '2s', max: '1s' } }, 'delay: a uniform delay needs min and max, with min <= max'],
    ['abort with reset', { ...base, abort: { status: 503 }, reset: true }, 'reset: abort and reset cannot be combined'],
    ['throttle with hang', { ...base, hang: true, throttle: { bytesPerSecond: 10 } }, 'throttle: throttle slows a response body; hang leaves none to slow'],
    ['reset: false', { ...base, reset: false }, 'reset: reset takes true'],
    ['an unknown field', { ...base, abort: { status: 503 }, probability: 5 }, 'probability: unknown field'],
    ['an unknown matcher', { ...base, abort: { status: 503 }, match: { country: ['fr'] } }, 'match.country: unknown field'],
    ['an empty matcher list', { ...base, abort: { status: 503 }, match: { regions: [] } }, 'match.regions: give at least one value'],
    ['a bad method', { ...base, abort: { status: 503 }, match: { methods: ['FETCH'] } }, 'match.methods[0]: methods are'],
    ['a path without a slash', { ...base, abort: { status: 503 }, match: { paths: ['api'] } }, 'match.paths[0]: path globs start with "/"'],
    ['an empty labels matcher', { ...base, abort: { status: 503 }, match: { labels: {} } }, 'match.labels: give at least one label, or leave the key out'],
    ['a numeric label value', { ...base, abort: { status: 503 }, match: { labels: { version: 2 } } }, 'match.labels.version: label values must be strings (quote numbers)'],
    ['a bad phase', { ...base, abort: { status: 503 }, phase: 'later' }, 'phase: phase is request or response'],
    ['a zero throttle', { ...base, throttle: { bytesPerSecond: 0 } }, 'throttle.bytesPerSecond: bytesPerSecond must be above 0'],
    ['an abort header name with a space', { ...base, abort: { status: 503, headers: { 'retry after': '1' } } }, 'abort.headers.retry after: not a valid header name'],
    ['an abort header value with a newline', { ...base, abort: { status: 503, headers: { 'x-a': 'b\r\nset-cookie: x' } } }, 'abort.headers.x-a: header values cannot hold control characters'],
    ['a bad id', { ...base, id: 'has space', abort: { status: 503 } }, 'id: id: letters, digits'],
  ];
  for (const [name, rule, expected] of cases) {
    it(`refuses ${name}`, () => {
      const errors = errorsOf(rule);
      assert.ok(errors.some((e) => e.startsWith(expected)), `expected "${expected}" in\n${errors.join('\n')}`);
    });
  }

  it('refuses a rules list that gives one id twice, naming the second', () => {
    const rules = [
      { id: 'pay-503', target: 'payments', abort: { status: 503 }, ttl: '30s' },
      { target: 'payments', reset: true, ttl: '30s' },
      { id: 'pay-503', target: 'payments', delay: { fixed: '1s' }, ttl: '30s' },
    ];
    const r = faultRuleListSchema.safeParse(rules);
    assert.equal(r.success, false, 'the list was accepted');
    assert.deepEqual(explainIssues(r.error!.issues, rules).map((i) => `${formatPath(i.path)}: ${i.message}`), ['[2].id: duplicate rule id "pay-503" (first at [0])']);
    assert.equal(faultRuleListSchema.safeParse(rules.slice(0, 2)).success, true, 'rules without ids are not duplicates');
  });
});
