import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ConfigError, formatIssue } from '../../../proxy/config/config-error.js';
import { checkDuration, MAX_SPAN_MS, MAX_TIMER_MS, MAX_WAIT_MS, setTimer, timerMs } from '../../../proxy/config/duration.js';
import { parseMesh } from '../../../proxy/config/load-mesh.js';
import { faultRuleSchema } from '../../../proxy/faults/fault-rule-schema.js';
import { explainIssues, formatPath } from '../../../proxy/config/config-error.js';
import { loadExperiment } from '../../../runner/experiment/load-experiment.js';
import { loadGameday } from '../../../runner/gameday/load-gameday.js';
import { runCli } from '../../helpers/cli.js';
import { startFaultFixture, type FaultFixture } from '../../helpers/fault-fixture.js';
import { gamedayFolder } from '../../helpers/gameday-fixture.js';
import { tempDir } from '../../helpers/mesh-fixture.js';

const dir = tempDir();
after(() => dir.remove());

function issuesOf(load: () => unknown): string[] {
  try {
    load();
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected ConfigError, got ${String(err)}`);
    return err.issues.map(formatIssue);
  }
  assert.fail('the input was accepted');
}

describe('duration limits', () => {
  it('reads every unit, days included, and refuses what is over the maximum instead of letting a timer fire after 1 ms', () => {
    assert.deepEqual(checkDuration('250ms'), { ok: true, ms: 250 });
    assert.deepEqual(checkDuration('24h'), { ok: true, ms: MAX_WAIT_MS });
    assert.deepEqual(checkDuration('7d', MAX_SPAN_MS), { ok: true, ms: MAX_SPAN_MS });
    assert.deepEqual(checkDuration(5, MAX_WAIT_MS, true), { ok: true, ms: 5000 });
    assert.deepEqual(checkDuration('1000h'), { ok: false, message: '"1000h" is longer than the 24h allowed here' });
    assert.deepEqual(checkDuration('8d', MAX_SPAN_MS), { ok: false, message: '"8d" is longer than the 7d allowed here' });
    assert.deepEqual(checkDuration(3_600_000, MAX_WAIT_MS, true), { ok: false, message: '3600000 is longer than the 24h allowed here' });
    assert.equal(checkDuration('soon').ok, false);
  });

  it('never arms a timer Node cannot hold', () => {
    assert.equal(timerMs(MAX_TIMER_MS), MAX_TIMER_MS);
    assert.throws(() => timerMs(MAX_TIMER_MS + 1), { code: 'TIMER_OUT_OF_RANGE' });
    assert.throws(() => timerMs(Number.NaN), { code: 'TIMER_OUT_OF_RANGE' });
    assert.throws(() => setTimer(() => assert.fail('fired'), 3_600_000_000), { code: 'TIMER_OUT_OF_RANGE' });
  });

  // Every duration field of the mesh file: over 24h is refused where it is written.
  const meshCases: Array<[string, string, string]> = [
    ['policy.timeout', 'timeout: 1000h', 'mesh.yaml:4:16 services.pay.policy.timeout: "1000h" is longer than the 24h allowed here'],
    ['retries.perTryTimeout', 'retries: { perTryTimeout: 25h }', 'mesh.yaml:4:33 services.pay.policy.retries.perTryTimeout: "25h" is longer than the 24h'],
    ['retries.backoff.max', 'retries: { backoff: { max: 1000h } }', 'mesh.yaml:4:34 services.pay.policy.retries.backoff.max: "1000h" is longer'],
    ['outlierDetection.baseEjectionTime', 'outlierDetection: { baseEjectionTime: 2d }', 'mesh.yaml:4:45 services.pay.policy.outlierDetection.baseEjectionTime: "2d" is longer'],
  ];
  for (const [field, yaml, expected] of meshCases) {
    it(`refuses a ${field} over 24h in a mesh file, with its location`, () => {
      const issues = issuesOf(() => parseMesh(`services:\n  pay:\n    policy:\n      ${yaml}\n`, 'mesh.yaml'));
      assert.ok(issues.some((i) => i.startsWith(expected)), issues.join('\n'));
    });
  }

  it('refuses fault delays and ttls over 24h', () => {
    for (const [rule, field] of [
      [{ delay: { fixed: '1000h' } }, 'delay.fixed'],
      [{ delay: { min: '1s', max: '1000h' } }, 'delay.max'],
      [{ delay: { mean: '25h', stddev: '1s' } }, 'delay.mean'],
      [{ abort: { status: 503 }, ttl: '1000h' }, 'ttl'],
    ] as const) {
      const input = { target: 'payments', ttl: '10s', ...rule };
      const r = faultRuleSchema.safeParse(input);
      assert.equal(r.success, false, `${field} was accepted`);
      const errors = explainIssues(r.error!.issues, input).map((i) => `${formatPath(i.path)}: ${i.message}`);
      assert.ok(errors.some((e) => e.startsWith(`${field}: "`) && e.includes('longer than the 24h')), errors.join('\n'));
    }
  });

  it('refuses experiment spans over 7 days and waits over 24h, naming the line and field', () => {
    const file = dir.file(
      'long.yaml',
      `title: t
steady-state-hypothesis:
  title: h
  during: every 25h
  probes: []
method:
  - type: action
    name: f
    provider: { type: fault, admin: http://127.0.0.1:1, rule: { target: p, delay: { fixed: 1000h } }, duration: 1000h }
    pauses: { after: 8d }
  - type: probe
    name: m
    provider: { type: metric, admin: http://127.0.0.1:1, destination: p, measure: rate, window: 25h }
  - type: action
    name: slow
    provider: { type: process, path: "true", timeout: 90000 }
`,
    );
    const issues = issuesOf(() => loadExperiment(file));
    for (const expected of [
      /long\.yaml:4:11 steady-state-hypothesis\.during: "25h" is longer than the 24h/,
      /long\.yaml:9:\d+ method\[0\]\.provider\.rule\.delay\.fixed: "1000h" is longer than the 24h/,
      /long\.yaml:9:\d+ method\[0\]\.provider\.duration: "1000h" is longer than the 7d/,
      /long\.yaml:10:\d+ method\[0\]\.pauses\.after: "8d" is longer than the 7d/,
      /long\.yaml:13:\d+ method\[1\]\.provider\.window: "25h" is longer than the 24h/,
      /long\.yaml:16:\d+ method\[2\]\.provider\.timeout: 90000 is longer than the 24h allowed here/,
    ]) {
      assert.ok(issues.some((i) => expected.test(i)), `no issue matching ${expected} in\n${issues.join('\n')}`);
    }
  });

  it('refuses a game-day window longer than 7 days', () => {
    const f = gamedayFolder();
    try {
      const issues = issuesOf(() => loadGameday(f.gameday('gameday: g\nwindow: { start: 2026-12-01T09:00, end: 2026-12-09T09:00 }\nruns:\n  - { experiment: mark.yaml, at: 2026-12-01T10:00 }\n')));
      assert.ok(issues.some((i) => /:2:\d+ window\.end: a game day's window is at most 7d long/.test(i)), issues.join('\n'));
    } finally {
      f.dir.remove();
    }
  });

  it('refuses CLI durations over 24h with exit 2 and no stack trace', async () => {
    const mesh = dir.file('ok-mesh.yaml', 'services:\n  pay:\n    instances: []\n');
    const proxy = await runCli(['proxy', '--mesh', mesh, '--listen', '127.0.0.1:0', '--admin', '127.0.0.1:0', '--timeout', '1000h']);
    assert.equal(proxy.code, 2, proxy.stderr);
    assert.match(proxy.stderr, /--timeout: "1000h" is longer than the 24h allowed here/);
    assert.doesNotMatch(proxy.stderr, /\n\s+at /, 'no stack trace');
    const exp = dir.file('exp.yaml', 'title: t\nmethod:\n  - { type: action, name: a, provider: { type: process, path: "true" } }\n');
    const run = await runCli(['run', exp, '--dry-run', '--fault-lease', '1000h']);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /--fault-lease 1000h: give a duration from 300ms to 24h/);
  });
});

describe('a delay asked for in a header (--allow-header-faults)', () => {
  let f: FaultFixture;
  before(async () => (f = await startFaultFixture({ allowHeaderFaults: true })));
  after(() => f.stop());

  it('is refused with 400 when over 24h, not applied as a 1 ms delay', async () => {
    const reply = await f.call('/', { 'x-faultmesh-delay': '1000h' });
    assert.equal(reply.status, 400, reply.text());
    assert.equal(reply.headers['x-faultmesh-error'], 'BAD_FAULT_HEADER');
    assert.match(reply.text(), /at most 24h/);
  });
});
