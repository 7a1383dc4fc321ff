import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { faultRuleListSchema } from '../../../proxy/faults/fault-rule-schema.js';
import { lines, translate, vs } from './istio-test-files.js';

/** One route with this `match` list (indented as its items) and an abort for every request it matches; its first block is on line 9. */
const aborting = (match: string) =>
  vs(`    - match:
${match}
      fault: { abort: { httpStatus: 503, percentage: { value: 100 } } }
      route: [{ destination: { host: ratings } }]
`);

describe('Istio match blocks, as fault rule matches', () => {
  const table: Array<[string, string, Record<string, unknown>]> = [
    ['an exact uri is that path', '        - uri: { exact: /ratings/0 }', { paths: ['/ratings/0'] }],
    ['a uri prefix is a glob to the end of the path', '        - uri: { prefix: /ratings/ }', { paths: ['/ratings/*'] }],
    ['a regex of text and .* is a ** glob', '        - uri: { regex: "/api/.*/items" }', { paths: ['/api/**/items'] }],
    ['a regex segment wildcard inside the path is a * glob', '        - uri: { regex: "^/users/[^/]+/orders$" }', { paths: ['/users/?*/orders'] }],
    ['an exact method', '        - method: { exact: POST }', { methods: ['POST'] }],
    ['a method prefix is every method it starts', '        - method: { prefix: P }', { methods: ['POST', 'PUT', 'PATCH'] }],
    ['a method regex alternation', '        - method: { regex: "^(GET|HEAD)$" }', { methods: ['GET', 'HEAD'] }],
    ['an exact header, its name in lower case', '        - headers: { End-User: { exact: jason } }', { headers: { 'end-user': 'jason' } }],
    ['a header regex of plain text is that value', '        - headers: { end-user: { regex: "^jason$" } }', { headers: { 'end-user': 'jason' } }],
    ['sourceLabels app is the calling service', '        - sourceLabels: { app: reviews }', { sources: ['reviews'] }],
    ['blocks that differ only in their paths are one rule', '        - uri: { prefix: /a }\n        - uri: { exact: /b }', { paths: ['/a*', '/b'] }],
    ['blocks that differ only in their methods are one rule', '        - { method: { exact: GET }, uri: { exact: /x } }\n        - { method: { exact: PUT }, uri: { exact: /x } }', { paths: ['/x'], methods: ['GET', 'PUT'] }],
  ];
  for (const [name, match, expected] of table) {
    it(`translates ${name}`, () => {
      const r = translate(aborting(match));
      assert.deepEqual(r.issues.invalid, []);
      // A block that names the caller is one a fault rule can take, and a route cannot.
      assert.deepEqual(lines(r).untranslated, expected.sources ? ['9 spec.http[0].match[0].sourceLabels: a faultmesh route cannot match its caller (a fault rule can: its sources); this match block is left out of the routes'] : []);
      assert.deepEqual(r.rules.map(({ rule }) => rule.match), [expected]);
    });
  }

  const refusals: Array<[string, string, RegExp]> = [
    ['a header prefix', '        - headers: { end-user: { prefix: ja } }', /^9 spec\.http\[0\]\.match\[0\]\.headers\.end-user: faultmesh matches headers by exact value only: prefix "ja" has no equivalent; .*this match block is left out/],
    ['a header presence match', '        - headers: { x-debug: {} }', /^9 spec\.http\[0\]\.match\[0\]\.headers\.x-debug: faultmesh matches headers by exact value only, not by presence/],
    ['a regex with classes', '        - uri: { regex: "/v[0-9]+/ratings" }', /^9 spec\.http\[0\]\.match\[0\]\.uri: regex "\/v\[0-9\]\+\/ratings" has no faultmesh glob equivalent/],
    ['a case-insensitive uri', '        - { uri: { exact: /Ratings }, ignoreUriCase: true }', /^9 spec\.http\[0\]\.match\[0\]\.ignoreUriCase: faultmesh path globs are case-sensitive/],
    ['query parameters', '        - queryParams: { debug: { exact: "1" } }', /^9 spec\.http\[0\]\.match\[0\]\.queryParams: faultmesh matches the path without its query string/],
    ['withoutHeaders', '        - withoutHeaders: { end-user: { exact: jason } }', /^9 spec\.http\[0\]\.match\[0\]\.withoutHeaders: faultmesh has no negative header match/],
    ['source labels other than app', '        - sourceLabels: { app: reviews, version: v2 }', /^9 spec\.http\[0\]\.match\[0\]\.sourceLabels: faultmesh knows a caller by its service name only, not by labels version/],
    ['a method faultmesh does not route', '        - method: { exact: get }', /^9 spec\.http\[0\]\.match\[0\]\.method: "get" is not a method faultmesh routes/],
  ];
  for (const [name, match, expected] of refusals) {
    it(`leaves out the block with ${name}, and the fault with it, naming the line`, () => {
      const r = translate(aborting(match));
      assert.ok(lines(r).untranslated.some((l) => expected.test(l)), lines(r).untranslated.join('\n'));
      assert.deepEqual(r.rules, [], 'a fault never becomes wider than the route it was on');
      assert.ok(lines(r).untranslated.some((l) => /^10 spec\.http\[0\]\.fault: none of the match blocks of this route could be translated/.test(l)));
    });
  }

  it('keeps the blocks that translate when another is left out', () => {
    const r = translate(aborting('        - headers: { end-user: { exact: jason } }\n        - headers: { end-user: { regex: "ja.*" } }'));
    assert.deepEqual(r.rules.map(({ rule }) => rule.match), [{ headers: { 'end-user': 'jason' } }]);
    assert.match(lines(r).untranslated.join('\n'), /^10 spec\.http\[0\]\.match\[1\]\.headers\.end-user: /m);
  });

  it('notes a match on port, and Istio\'s own ignored header names', () => {
    const r = translate(aborting('        - { port: 9080, headers: { uri: { exact: /x } } }'));
    assert.deepEqual(r.rules.map(({ rule }) => rule.match), [undefined]);
    assert.match(lines(r).caveat.join('\n'), /9 spec\.http\[0\]\.match\[0\]\.port: faultmesh instances have one address each/);
    assert.match(lines(r).caveat.join('\n'), /Istio ignores a header match named "uri"/);
  });
});

/** One route whose fault is `fault` (indented as its fields, from line 10 on). */
const faulty = (fault: string) =>
  vs(`    - route: [{ destination: { host: ratings } }]
      fault:
${fault}
`);

describe('Istio fault blocks, as fault rules', () => {
  it('translates an abort and a delay with their percentages, with ids from the VirtualService and route', () => {
    const abort = translate(faulty('        abort: { httpStatus: 503, percentage: { value: 12.5 } }'));
    assert.deepEqual(abort.rules.map(({ rule }) => rule), [{ id: 'ratings-0', target: 'ratings', percentage: 12.5, abort: { status: 503 } }]);
    const delay = translate(faulty('        delay: { fixedDelay: 1m30s, percentage: { value: 100 } }'));
    assert.deepEqual(delay.rules.map(({ rule }) => rule), [{ id: 'ratings-0', target: 'ratings', percentage: 100, delay: { fixed: '90s' } }]);
  });

  it("reads a delay's deprecated percent, with a note, and prefers percentage when both are given", () => {
    const old = translate(faulty('        delay: { fixedDelay: 5s, percent: 30 }'));
    assert.equal(old.rules[0]!.rule.percentage, 30);
    assert.match(lines(old).caveat.join('\n'), /^10 spec\.http\[0\]\.fault\.delay\.percent: percent is deprecated/m);
    const both = translate(faulty('        delay: { fixedDelay: 5s, percent: 30, percentage: { value: 40 } }'));
    assert.equal(both.rules[0]!.rule.percentage, 40);
  });

  it('turns a delay and an abort into rules whose odds are Envoy\'s independent rolls', () => {
    const r = translate(faulty('        delay: { fixedDelay: 2s, percentage: { value: 50 } }\n        abort: { httpStatus: 500, percentage: { value: 20 } }'));
    assert.deepEqual(
      r.rules.map(({ rule }) => [rule.id, rule.percentage, rule.delay?.fixed ?? null, rule.abort?.status ?? null]),
      [
        ['ratings-0a', 10, '2s', 500],
        ['ratings-0b', 44.4444, '2s', null],
        ['ratings-0c', 20, null, 500],
      ],
    );
    // Tried in order: both 10%; delay alone 40% of all (44.4% of the 90% left); abort alone 10% (20% of the 50% left).
    const [a, b, c] = r.rules.map(({ rule }) => rule.percentage / 100) as [number, number, number];
    const delayed = a + (1 - a) * b;
    const aborted = a + (1 - a) * (1 - b) * c;
    assert.ok(Math.abs(delayed - 0.5) < 1e-4 && Math.abs(aborted - 0.2) < 1e-4, `P(delay)=${delayed} P(abort)=${aborted}`);
    assert.ok(faultRuleListSchema.safeParse(r.rules.map(({ rule }) => ({ ...rule, ttl: '1m' }))).success);
  });

  it('makes one rule of a delay and an abort that both hit every request', () => {
    const r = translate(faulty('        delay: { fixedDelay: 2s, percentage: { value: 100 } }\n        abort: { httpStatus: 500, percentage: { value: 100 } }'));
    assert.deepEqual(r.rules.map(({ rule }) => rule), [{ id: 'ratings-0', target: 'ratings', percentage: 100, delay: { fixed: '2s' }, abort: { status: 500 } }]);
  });

  const refusals: Array<[string, string, 'invalid' | 'untranslated', RegExp]> = [
    ['an abort without percentage', '        abort: { httpStatus: 500 }', 'untranslated', /^10 spec\.http\[0\]\.fault\.abort: no percentage: Istio applies this action to no request/],
    ['a gRPC abort', '        abort: { grpcStatus: UNAVAILABLE, percentage: { value: 5 } }', 'untranslated', /^10 spec\.http\[0\]\.fault\.abort\.grpcStatus: faultmesh aborts with HTTP statuses only/],
    ["an abort's removed percent", '        abort: { httpStatus: 500, percent: 5 }', 'untranslated', /abort\.percent: abort's percent is no longer an Istio field/],
    ['an exponential delay', '        delay: { exponentialDelay: 1s, percentage: { value: 5 } }', 'untranslated', /delay\.exponentialDelay: faultmesh has no exponential delay/],
    ['a status out of range', '        abort: { httpStatus: 99, percentage: { value: 5 } }', 'invalid', /^10 spec\.http\[0\]\.fault\.abort\.httpStatus: httpStatus is a status from 200 to 599/],
    ['a percentage over 100', '        abort: { httpStatus: 500, percentage: { value: 150 } }', 'invalid', /abort\.percentage\.value: a percentage is 0 to 100/],
    ['a bad duration', '        delay: { fixedDelay: soon, percentage: { value: 5 } }', 'invalid', /^10 spec\.http\[0\]\.fault\.delay\.fixedDelay: "soon" is not a duration/],
    ['a misspelt field', '        delay: { fixedDelay: 1s, percentge: { value: 5 } }', 'untranslated', /delay\.percentge: not a field of Istio's HTTPFaultInjection\.Delay \(a typo\?\)/],
    ['a fault with no action', '        {}', 'invalid', /^10 spec\.http\[0\]\.fault: a fault needs delay, abort or both/],
  ];
  for (const [name, fault, kind, expected] of refusals) {
    it(`reports ${name} as ${kind}, naming the line and field`, () => {
      const r = translate(faulty(fault));
      assert.ok(lines(r)[kind].some((l) => expected.test(l)), JSON.stringify(lines(r), null, 1));
    });
  }
});
