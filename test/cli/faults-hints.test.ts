import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ruleFromFlags } from '../../cli/commands/faults-inline.js';
import { describeActions, ruleSpecOf, sameRule } from '../../cli/commands/faults-view.js';
import { describeForCli, hintFor, type CallTarget } from '../../cli/control-target.js';
import { UsageError } from '../../cli/exit.js';
import type { AdminReply } from '../../proxy/admin/admin-client.js';

const URL = 'http://10.0.0.5:15000';
const reply = (status: number, code: string, message = ''): AdminReply => ({ admin: URL, status, body: { code, message } });
const byAdmin: CallTarget = { kind: 'proxies', from: '--admin' };
const byDefault: CallTarget = { kind: 'proxies', from: undefined };
const byControl: CallTarget = { kind: 'control', from: '--control' };
const byEnv: CallTarget = { kind: 'control', from: 'FAULTMESH_CONTROL' };

describe('hints that point a failed call at the CLI', () => {
  const table: ReadonlyArray<readonly [string, AdminReply, CallTarget, RegExp]> = [
    ['a halted proxy: faults resume, with the flag that reaches it', reply(409, 'FAULTS_HALTED'), byAdmin, /faultmesh faults resume --admin http:\/\/10\.0\.0\.5:15000$/],
    ['a halted control plane named by FAULTMESH_CONTROL: no flag needed', reply(409, 'FAULTS_HALTED'), byEnv, /resume it with: faultmesh faults resume$/],
    ['a taken id: faults renew and faults rm for that id', reply(409, 'FAULT_EXISTS', 'a fault with id "pay-503" already exists'), byControl, /faultmesh faults renew pay-503 --ttl 10m --control http:\/\/10\.0\.0\.5:15000, or replace it: faultmesh faults rm pay-503 --control/],
    ['an id not in force: faults list', reply(404, 'FAULT_NOT_FOUND'), byDefault, /^faultmesh faults list shows the rules in force there$/],
    ['a 401 from a proxy: its admin token', reply(401, 'UNAUTHORIZED'), byAdmin, /--admin-token\): --token T or FAULTMESH_ADMIN_TOKEN/],
    ['a 401 from the control plane: its token', reply(401, 'UNAUTHORIZED'), byControl, /FAULTMESH_CONTROL_TOKEN/],
    ['an unreachable default proxy: which address, and the flags to name another', reply(0, 'UNREACHABLE', 'connect ECONNREFUSED'), byDefault, /no faultmesh proxy admin API answered at http:\/\/10\.0\.0\.5:15000 \(from the default proxy admin address, http:\/\/127\.0\.0\.1:15000\).*--admin URL.*--control URL.*--var/],
    ['an unreachable control plane: where its URL came from', reply(0, 'UNREACHABLE', 'connect ECONNREFUSED'), byEnv, /no faultmesh control plane answered at .* \(from FAULTMESH_CONTROL\): start one \(faultmesh control\), or name another with --control URL or FAULTMESH_CONTROL.*--var control=URL/],
  ];
  for (const [name, r, target, hint] of table) {
    it(name, () => {
      assert.match(hintFor(r, target) ?? '', hint);
    });
  }

  it('prints the server\'s answer on its own line, then the hint', () => {
    const text = describeForCli({ admin: URL, status: 0, body: { code: 'UNREACHABLE', message: 'connect ECONNREFUSED 10.0.0.5:15000' } }, byAdmin);
    assert.match(text, /^http:\/\/10\.0\.0\.5:15000: unreachable: connect ECONNREFUSED 10\.0\.0\.5:15000\n {2}hint: no faultmesh proxy/);
    assert.equal(describeForCli(reply(400, 'INVALID_FAULT', 'refused'), byAdmin), `${URL}: 400 INVALID_FAULT refused`, 'no hint where the server says it all');
  });
});

describe('a rule written as flags', () => {
  const rule = (flags: Record<string, unknown>) => ruleFromFlags(flags, '10m');
  const refusal = (flags: Record<string, unknown>): string => {
    try {
      rule(flags);
    } catch (err) {
      assert.ok(err instanceof UsageError);
      return err.message;
    }
    return assert.fail('accepted');
  };

  it('takes each delay form, and lists as repeats or commas', () => {
    assert.deepEqual(rule({ target: 'a', delay: '400ms' }).delay, { fixed: '400ms' });
    assert.deepEqual(rule({ target: 'a', delay: '100ms..1s' }).delay, { min: '100ms', max: '1s' });
    assert.deepEqual(rule({ target: 'a', delay: '400ms', 'delay-stddev': '50ms' }).delay, { mean: '400ms', stddev: '50ms' });
    assert.deepEqual(rule({ target: 'a', reset: true, customer: ['acme', 'beta,gamma'] }).match, { customers: ['acme', 'beta', 'gamma'] });
    assert.equal(rule({ target: 'a', hang: true }).ttl, '10m');
  });

  it('names the flag of each refused field', () => {
    assert.match(refusal({ target: 'a', delay: '400ms', throttle: 'fast' }), /--throttle: /);
    assert.match(refusal({ target: 'a', delay: '300ms..100ms' }), /--delay: a uniform delay needs min and max, with min <= max/);
    assert.match(refusal({ target: 'a', abort: '503', reset: true }), /--reset: abort and reset cannot be combined/);
    assert.match(refusal({ target: 'a', 'abort-body': 'x' }), /--abort: give the status/);
    assert.match(refusal({ target: 'a', abort: '503', 'max-active': '0' }), /--max-active: maxActive must be above 0/);
    assert.match(refusal({ target: 'a', abort: '503', path: 'charge' }), /--path: path globs start with "\/"/);
  });
});

describe('comparing a rule in force with the one given again', () => {
  it('sees a proxy\'s parsed listing and a control plane\'s as-sent one as the same rule, whatever the lease', () => {
    const given = { id: 'x', target: 'a', match: { methods: ['get'] }, delay: { fixed: '0.4s' }, ttl: '1m' };
    const onProxy = { id: 'x', target: 'a', match: { methods: ['GET'] }, percentage: 100, phase: 'request', delay: { form: 'fixed', ms: 400 }, createdAt: 'c', expiresAt: 'e', counts: { matched: 3, hit: 1, active: 0 } };
    const onControl = { percentage: 100, phase: 'request', id: 'x', target: 'a', delay: { fixed: '400ms' }, match: { methods: ['GET'] }, createdAt: 'c', expiresAt: 'e', counts: {}, proxies: ['p1'] };
    assert.ok(sameRule(onProxy, given));
    assert.ok(sameRule(onControl, given));
    assert.equal(sameRule(onProxy, { ...given, delay: { fixed: '500ms' } }), false);
    assert.equal(sameRule(onProxy, { ...given, percentage: 50 }), false);
  });

  it('describes the actions with their amounts', () => {
    assert.equal(describeActions(ruleSpecOf({ target: 'a', delay: { min: '100ms', max: '2s' }, throttle: { bytesPerSecond: 64 } })!), 'delay 100ms..2s+throttle 64 B/s');
    assert.equal(describeActions(ruleSpecOf({ target: 'a', delay: { mean: '1s', stddev: '50ms' } })!), 'delay 1s±50ms');
  });
});
