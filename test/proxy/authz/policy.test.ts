import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileAuthorization, type AuthzRequest } from '../../../proxy/authz/policy.js';
import { parseMesh } from '../../../proxy/config/load-mesh.js';

/** The authorizer of service `pay` with `authorization:` written as YAML, through the real schema (methods upper-cased there). */
function authorizerOf(authorization: string) {
  const mesh = parseMesh(`services:\n  pay:\n    authorization: ${authorization}\n`);
  return compileAuthorization(mesh.services.pay!.authorization);
}

const call = (source: string | undefined, method: string, path: string): AuthzRequest => ({ source, method, path });

describe('authorization policy', () => {
  it('lets every call through, with or without an identity, when the service has no policy', () => {
    const open = compileAuthorization(undefined);
    assert.equal(open.enforced, false);
    assert.deepEqual(open.authorize(call(undefined, 'DELETE', '/anything')), { allowed: true });
    assert.deepEqual(open.authorize(call('frontend', 'GET', '/')), { allowed: true });
  });

  it('refuses everything with allow: [], saying so', () => {
    const none = authorizerOf('{ allow: [] }');
    assert.equal(none.enforced, true);
    for (const source of ['checkout', undefined]) {
      assert.deepEqual(none.authorize(call(source, 'GET', '/')), { allowed: false, reason: 'its policy allows no caller (allow: [])' });
    }
  });

  // One policy, many calls: the table reads as "who may do what".
  const policy = '{ allow: [ { from: [checkout], methods: [post], paths: ["/charge", "/refund/*"] }, { from: [frontend, catalog], methods: [GET] }, { from: ["*"], paths: ["/health"] } ] }';
  const cases: Array<[string, AuthzRequest, boolean | string]> = [
    ['checkout may POST /charge', call('checkout', 'POST', '/charge'), true],
    ['checkout may POST /refund/r1, one segment under /refund/*', call('checkout', 'POST', '/refund/r1'), true],
    ['checkout may not GET /charge: its rule names POST (methods were upper-cased)', call('checkout', 'GET', '/charge'), 'no rule allows this method and path for this caller'],
    ['checkout may not POST /other', call('checkout', 'POST', '/other'), 'no rule allows this method and path for this caller'],
    ['frontend may GET any path', call('frontend', 'GET', '/deep/path/x'), true],
    ['catalog, the second name of the same rule, may GET too', call('catalog', 'GET', '/'), true],
    ['frontend may not POST', call('frontend', 'POST', '/charge'), 'no rule allows this method and path for this caller'],
    ['any authenticated service may call /health, with any method', call('search', 'HEAD', '/health'), true],
    ['a service no rule names may call nothing else', call('search', 'GET', '/charge'), 'no rule allows this method and path for this caller'],
    ['a query string is ignored by path rules', call('checkout', 'POST', '/charge?amount=5&to=/health'), true],
    ['a query string cannot smuggle an allowed path', call('search', 'GET', '/admin?/health'), 'no rule allows this method and path for this caller'],
    ['a dot segment never passes a path rule', call('checkout', 'POST', '/refund/../admin'), 'the path has a dot segment (/./ or /../), which no path rule matches'],
    ['an encoded dot segment neither', call('search', 'GET', '/health/%2E%2e'), 'the path has a dot segment (/./ or /../), which no path rule matches'],
    ['a caller without an identity is refused by rules that name callers, "*" included', call(undefined, 'GET', '/health'), 'the caller has no verified identity, and every rule of the policy names its callers (from)'],
  ];
  const authorizer = authorizerOf(policy);
  for (const [name, request, expected] of cases) {
    it(name, () => {
      const decision = authorizer.authorize(request);
      assert.deepEqual(decision, expected === true ? { allowed: true } : { allowed: false, reason: expected });
    });
  }

  it('refuses a caller no rule names with its own reason', () => {
    const only = authorizerOf('{ allow: [ { from: [checkout] } ] }');
    assert.deepEqual(only.authorize(call('frontend', 'GET', '/')), { allowed: false, reason: 'no rule allows this caller' });
    assert.deepEqual(only.authorize(call('checkout', 'PATCH', '/x')), { allowed: true }, 'a rule with only from allows every method and path');
  });

  it('lets a caller without an identity through only a rule without from', () => {
    const mixed = authorizerOf('{ allow: [ { from: [checkout] }, { methods: [GET], paths: ["/public/**"] } ] }');
    assert.deepEqual(mixed.authorize(call(undefined, 'GET', '/public/a/b')), { allowed: true });
    assert.deepEqual(mixed.authorize(call(undefined, 'POST', '/public/a')), { allowed: false, reason: 'no rule allows this method and path for this caller' });
    assert.deepEqual(mixed.authorize(call(undefined, 'GET', '/private')), { allowed: false, reason: 'no rule allows this method and path for this caller' });
    assert.deepEqual(mixed.authorize(call('checkout', 'DELETE', '/private')), { allowed: true });
  });

  it('matches /api/** below /api only: /api itself needs its own entry', () => {
    const below = authorizerOf('{ allow: [ { paths: ["/api/**"] } ] }');
    assert.equal(below.authorize(call('a', 'GET', '/api/v1/items')).allowed, true);
    assert.equal(below.authorize(call('a', 'GET', '/api/')).allowed, true);
    assert.equal(below.authorize(call('a', 'GET', '/api')).allowed, false);
    assert.equal(below.authorize(call('a', 'GET', '/apix/1')).allowed, false, 'a glob is not a string prefix');
    const both = authorizerOf('{ allow: [ { paths: ["/api", "/api/**"] } ] }');
    assert.equal(both.authorize(call('a', 'GET', '/api')).allowed, true);
    assert.equal(both.authorize(call('a', 'GET', '/api?q=1')).allowed, true);
  });

  it('gives one shared decision object per outcome, so a request allocates none', () => {
    const a = authorizerOf(policy);
    assert.equal(a.authorize(call('checkout', 'POST', '/charge')), a.authorize(call('frontend', 'GET', '/x')));
    assert.equal(a.authorize(call('frontend', 'POST', '/x')), a.authorize(call('checkout', 'GET', '/x')));
    assert.ok(Object.isFrozen(a.authorize(call('frontend', 'POST', '/x'))), 'a caller cannot alter the shared decision');
  });
});
