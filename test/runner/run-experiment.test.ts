import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { loadExperiment } from '../../runner/experiment/load-experiment.js';
import { exitCodeOf, type Journal } from '../../runner/journal.js';
import { runExperiment, type RunOptions } from '../../runner/run-experiment.js';
import { verdictOf } from '../../runner/verdict.js';
import { startFaultFixture, TOKEN, type FaultFixture } from '../helpers/fault-fixture.js';
import { send } from '../helpers/http-client.js';
import { tempDir } from '../helpers/mesh-fixture.js';

describe('the run lifecycle', () => {
  let mesh: FaultFixture;
  const dir = tempDir();
  before(async () => (mesh = await startFaultFixture({ timeoutMs: 2000 })));
  after(async () => {
    await mesh.stop();
    dir.remove();
  });
  const faultsOnProxy = async () => (await send(mesh.proxy.adminUrl, { path: '/v1/faults' })).json<{ faults: unknown[] }>().faults;
  const marker = () => dir.file(`marker-${Math.random().toString(36).slice(2)}`, '');

  /** An experiment on the fixture's payments service; `parts` fill in its sections. */
  function experiment(parts: { hypothesis?: string; method: string; rollbacks?: string; safeguards?: string; during?: string }): string {
    const yaml = `title: payments stay up
configuration:
  admin: ${mesh.proxy.adminUrl}
  proxy: ${mesh.proxy.proxyUrl}
${
  parts.hypothesis === 'none'
    ? ''
    : `steady-state-hypothesis:
  title: payments answer
${parts.during ? `  during: ${parts.during}\n` : ''}  probes:
${parts.hypothesis ?? '    - { type: probe, name: payments-ok, tolerance: 200, provider: { type: http, url: "${proxy}/", headers: { host: payments }, timeout: 2 } }'}
`
}method:
${parts.method}
${parts.rollbacks ? `rollbacks:\n${parts.rollbacks}\n` : ''}${parts.safeguards ? `safeguards:\n${parts.safeguards}\n` : ''}`;
    return dir.file(`exp-${Math.random().toString(36).slice(2)}.yaml`, yaml);
  }
  const fault = (duration: string, rule = '{ target: payments, abort: { status: 503 } }', extra = '') => `  - { type: action, name: pay-503, provider: { type: fault, admin: "\${admin}", rule: ${rule}, duration: ${duration} }${extra} }`;
  const touch = (file: string, name = 'rollback') => `  - { type: action, name: ${name}, provider: { type: process, path: "${process.execPath}", arguments: ["-e", "require('fs').appendFileSync('${file}', '${name};')"] } }`;
  const run = async (file: string, options: RunOptions = {}) => {
    const journalPath = dir.file(`journal-${Math.random().toString(36).slice(2)}.json`, '');
    const journal = await runExperiment(loadExperiment(file), { journalPath, leaseMs: 2000, safeguardEveryMs: 100, token: TOKEN, ...options });
    assert.deepEqual(await faultsOnProxy(), [], 'a fault was left on the proxy');
    const written = JSON.parse(readFileSync(journalPath, 'utf8')) as Journal;
    assert.equal(written.status, journal.status, 'the journal on disk is the final one');
    return journal;
  };

  it('completes and exits 0 when the hypothesis holds; the fault was held and removed', async () => {
    const done = marker();
    const journal = await run(experiment({ method: fault('300ms', '{ target: payments, match: { paths: [/never] }, abort: { status: 503 } }'), rollbacks: touch(done) }));
    assert.equal(journal.status, 'completed', JSON.stringify({ stoppedBy: journal.stoppedBy, errors: journal.errors, run: journal.run }));
    assert.equal(exitCodeOf(journal), 0);
    assert.equal(journal.steady_states.before?.met, true);
    assert.equal(journal.steady_states.after?.met, true);
    assert.equal(journal.faults.length, 1);
    assert.equal(journal.faults[0]!.state, 'removed');
    assert.ok(journal.faults[0]!.heldMs! >= 250);
    assert.equal(journal.run[0]!.status, 'succeeded');
    assert.equal(readFileSync(done, 'utf8'), 'rollback;');
    assert.match(verdictOf(journal), /held/);
  });

  it('stops with status failed, exit 1 and no fault injected when the steady state is not met before', async () => {
    const journal = await run(
      experiment({
        hypothesis: '    - { type: probe, name: payments-ok, tolerance: 200, provider: { type: http, url: "${proxy}/?status=500", headers: { host: payments } } }',
        method: fault('5s'),
      }),
    );
    assert.equal(journal.status, 'failed');
    assert.equal(exitCodeOf(journal), 1);
    assert.deepEqual(journal.faults, []);
    assert.deepEqual(journal.run, []);
    assert.match(verdictOf(journal), /not met, probe "payments-ok" returned 500, outside its tolerance \(= 200\)/);
  });

  it('deviates (completed with deviated, as in Chaos Toolkit; exit 1) when the hypothesis checked during the method is not met', async () => {
    const journal = await run(experiment({ during: 'every 150ms', method: fault('600ms') }));
    assert.equal(journal.deviated, true);
    assert.equal(journal.status, 'completed');
    assert.equal(exitCodeOf(journal), 1);
    assert.ok(journal.steady_states.during.some((h) => !h.met));
    assert.equal(journal.steady_states.after?.met, true);
  });

  it('deviates when the steady state after the method is not met', async () => {
    const state = dir.file('state', 'healthy');
    const journal = await run(
      experiment({
        hypothesis: `    - { type: probe, name: state-healthy, tolerance: { type: regex, pattern: "^healthy" }, provider: { type: process, path: "${process.execPath}", arguments: ["-e", "process.stdout.write(require('fs').readFileSync('${state}', 'utf8'))"] } }`,
        method: `  - { type: action, name: break-it, provider: { type: process, path: "${process.execPath}", arguments: ["-e", "require('fs').writeFileSync('${state}', 'broken')"] } }`,
      }),
    );
    assert.equal(journal.deviated, true);
    assert.equal(exitCodeOf(journal), 1);
    assert.match(verdictOf(journal), /Deviated: probe "state-healthy" returned "broken", outside its tolerance \(~ \/\^healthy\/\) after the method/);
  });

  it('aborts at once when a safeguard fails (exit 3), removes the fault and runs the rollbacks', async () => {
    const done = marker();
    const started = Date.now();
    const journal = await run(
      experiment({
        method: fault('20s'),
        safeguards: '    - { type: probe, name: payments-guard, tolerance: [200], provider: { type: http, url: "${proxy}/", headers: { host: payments } } }'.slice(2),
        rollbacks: touch(done),
      }),
    );
    assert.equal(journal.status, 'aborted');
    assert.equal(exitCodeOf(journal), 3);
    assert.ok(Date.now() - started < 5000, 'the 20 s fault was cut short');
    assert.match(journal.stoppedBy!, /safeguard "payments-guard" returned 503, outside its tolerance \(in \[200\]\)/);
    assert.equal(journal.faults[0]!.state, 'removed');
    assert.equal(readFileSync(done, 'utf8'), 'rollback;');
    assert.equal(journal.steady_states.after, null, 'no hypothesis after an abort');
  });

  it('records a method activity that fails and goes on, as Chaos Toolkit does: completed, exit 0, a verdict that says what was not tested', async () => {
    const done = marker();
    const journal = await run(experiment({ method: `${fault('600ms', '{ target: payments, match: { paths: [/never] }, abort: { status: 503 } }', ', background: true')}\n  - { type: action, name: broken, provider: { type: process, path: faultmesh-no-such-program } }`, rollbacks: touch(done) }));
    assert.equal(journal.status, 'completed', JSON.stringify(journal.stoppedBy));
    assert.equal(exitCodeOf(journal), 0);
    assert.equal(journal.stoppedBy, null);
    assert.deepEqual(journal.run.map((r) => [r.activity.name, r.status]), [['pay-503', 'succeeded'], ['broken', 'failed']], 'in method order, the background fault first');
    assert.equal(journal.faults[0]!.state, 'removed');
    assert.ok(journal.faults[0]!.heldMs! >= 550, 'the fault held its whole window');
    assert.equal(readFileSync(done, 'utf8'), 'rollback;');
    assert.match(verdictOf(journal), /^The hypothesis held, but 1 method activity failed \(broken: cannot run "faultmesh-no-such-program"/);
  });

  it('is interrupted (exit 3) by its interrupt signal, reverting first', async () => {
    const done = marker();
    const interrupt = new AbortController();
    const running = run(experiment({ method: fault('20s'), rollbacks: touch(done) }), {
      interrupt: interrupt.signal,
      events: { faultInjected: () => interrupt.abort('SIGINT') },
    });
    const journal = await running;
    assert.equal(journal.status, 'interrupted');
    assert.equal(exitCodeOf(journal), 3);
    assert.match(journal.stoppedBy!, /SIGINT/);
    assert.equal(readFileSync(done, 'utf8'), 'rollback;');
  });

  it('writes the journal as it goes: mid-method it shows the phase and the fault held', async () => {
    const journalPath = dir.file('live.json', '');
    let seen: Journal | undefined;
    await runExperiment(loadExperiment(experiment({ method: fault('400ms') })), {
      journalPath,
      leaseMs: 2000,
      token: TOKEN,
      events: { faultInjected: () => void (seen = JSON.parse(readFileSync(journalPath, 'utf8')) as Journal) },
    });
    assert.equal(seen?.status, 'running');
    assert.equal(seen?.phase, 'method');
    assert.equal(seen?.faults[0]?.state, 'held');
  });

  it('runs rollbacks only as the strategy says; faults are removed either way', async () => {
    const never = marker();
    await run(experiment({ method: fault('100ms'), rollbacks: touch(never) }), { rollbackStrategy: 'never' });
    assert.equal(readFileSync(never, 'utf8'), '');
    const onDeviation = marker();
    await run(experiment({ method: fault('100ms'), rollbacks: touch(onDeviation) }), { rollbackStrategy: 'deviated' });
    assert.equal(readFileSync(onDeviation, 'utf8'), '', 'not deviated: no rollback');
    const deviated = marker();
    const journal = await run(experiment({ during: 'every 50ms', method: fault('300ms'), rollbacks: touch(deviated) }), { rollbackStrategy: 'deviated' });
    assert.equal(journal.deviated, true);
    assert.equal(readFileSync(deviated, 'utf8'), 'rollback;');
  });

  it('samples the mesh while it runs: rate, error ratio and latency of each destination it touches', async () => {
    const load = '  - { type: action, name: traffic, provider: { type: load, proxy: "${proxy}", target: payments, rate: 50, duration: 1.2s } }';
    const journal = await run(experiment({ hypothesis: 'none', method: `${fault('600ms', '{ target: payments, percentage: 50, abort: { status: 503 } }', ', background: true')}\n${load}` }), { sampleEveryMs: 100 });
    assert.deepEqual(journal.timeseries.admins, [mesh.proxy.adminUrl]);
    const points = journal.timeseries.destinations.payments ?? [];
    assert.ok(points.length >= 8, `${points.length} points`);
    const held = journal.faults[0]!;
    const inWindow = (t: string) => t > held.injectedAt && t <= held.removedAt!;
    assert.ok(points.some((p) => inWindow(p.t) && (p.errorRatio ?? 0) > 0.2), 'errors while the fault held');
    assert.ok(points.some((p) => !inWindow(p.t) && p.errorRatio === 0), 'no errors after it');
    assert.ok(points.some((p) => p.rate > 20 && p.p99Ms !== null));
  });

  it('masks secret values in the journal', async () => {
    const file = dir.file(
      'secret.yaml',
      `title: secrets
secrets:
  api:
    key: { type: env, key: FM_TEST_SECRET, default: s3cr3t-value }
method:
  - { type: probe, name: echo-secret, provider: { type: process, path: "${process.execPath}", arguments: ["-e", "console.log('\${key}')"] } }
`,
    );
    const journalPath = dir.file('secret.json', '');
    const journal = await runExperiment(loadExperiment(file), { journalPath });
    assert.equal((journal.run[0]!.output as { stdout: string }).stdout, 's3cr3t-value\n', 'the run itself used the secret');
    const text = readFileSync(journalPath, 'utf8');
    assert.ok(!text.includes('s3cr3t-value'));
    assert.ok(text.includes('***'));
  });
});
