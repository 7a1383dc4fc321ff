import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname, machine } from 'node:os';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { readReportInput } from '../../../reports/report-input.js';
import { renderMarkdown } from '../../../reports/markdown.js';
import { loadExperiment } from '../../../runner/experiment/load-experiment.js';
import { exitCodeOf } from '../../../runner/journal.js';
import { runExperiment, type RunOptions } from '../../../runner/run-experiment.js';
import { startFaultFixture, TOKEN, type FaultFixture } from '../../helpers/fault-fixture.js';
import { send } from '../../helpers/http-client.js';
import { tempDir } from '../../helpers/mesh-fixture.js';

const here = (rel: string) => fileURLToPath(new URL(rel, import.meta.url));
const schema = JSON.parse(readFileSync(here('../../fixtures/ctk-journal/chaostoolkit-journal.schema.json'), 'utf8')) as object;
const validate = new Ajv2020({ allErrors: true, allowUnionTypes: true }).compile(schema);
const packageVersion = (JSON.parse(readFileSync(here('../../../package.json'), 'utf8')) as { version: string }).version;

type Json = Record<string, any>;
/** Asserts the journal is Chaos Toolkit's shape, naming every place it is not. */
const assertCtkShape = (journal: unknown) => assert.ok(validate(journal), JSON.stringify(validate.errors, null, 1));

describe('a journal that Chaos Toolkit reads', () => {
  let mesh: FaultFixture;
  let closedUrl: string;
  const dir = tempDir();
  before(async () => {
    mesh = await startFaultFixture({ timeoutMs: 2000 });
    // A port that was just free and is closed again: calls to it are refused.
    const server: Server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closedUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/page`;
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  after(async () => {
    await mesh.stop();
    dir.remove();
  });

  /** Runs the experiment `doc` (written as JSON, which Chaos Toolkit also reads) and returns the journal on disk and in memory. */
  async function run(name: string, doc: Json, options: RunOptions = {}) {
    const file = dir.file(`${name}.json`, JSON.stringify(doc, null, 2));
    const journalPath = dir.file(`${name}-journal.json`, '');
    const journal = await runExperiment(loadExperiment(file), { journalPath, leaseMs: 2000, token: TOKEN, ...options });
    assert.deepEqual((await send(mesh.proxy.adminUrl, { path: '/v1/faults' })).json<{ faults: unknown[] }>().faults, [], 'a fault was left on the proxy');
    return { file, journalPath, journal, text: readFileSync(journalPath, 'utf8'), disk: JSON.parse(readFileSync(journalPath, 'utf8')) as Json };
  }
  const node = (code: string, ...rest: string[]) => ['-e', code, ...rest];

  describe('of a run that deviates, with rollbacks', () => {
    let r: Awaited<ReturnType<typeof run>>;
    let doc: Json;
    before(async () => {
      const state = dir.file('state', 'healthy');
      const notes = dir.file('notes', '');
      doc = {
        title: 'checkout copes with a broken state file',
        description: 'the state file breaks during the method; the steady state after it shows that',
        tags: ['journal'],
        configuration: { admin: mesh.proxy.adminUrl, proxy: mesh.proxy.proxyUrl, state, notes, settle: 0.05 },
        secrets: { api: { token: 'journal-s3cr3t' } },
        'steady-state-hypothesis': {
          title: 'payments answer and the state is healthy',
          probes: [
            { type: 'probe', name: 'payments-up', tolerance: 200, provider: { type: 'http', url: '${proxy}/', headers: { host: 'payments' }, timeout: '2s' } },
            { type: 'probe', name: 'state-healthy', tolerance: { type: 'regex', pattern: '^healthy' }, provider: { type: 'process', path: process.execPath, arguments: node("process.stdout.write(require('fs').readFileSync(process.argv[1], 'utf8'))", '${state}') } },
          ],
        },
        method: [
          { type: 'action', name: 'hold-a-fault', provider: { type: 'fault', admin: '${admin}', rule: { target: 'payments', match: { paths: ['/never'] }, abort: { status: 503 } }, duration: '200ms' } },
          {
            type: 'action',
            name: 'break-state',
            pauses: { before: '${settle}', after: '250ms' },
            provider: { type: 'process', path: process.execPath, arguments: `-e "require('fs').writeFileSync(process.argv[1], 'broken')" \${state}`, timeout: 5 },
          },
          { type: 'probe', name: 'uses-the-token', provider: { type: 'process', path: process.execPath, arguments: node("console.log('${token}'.length)") } },
          { type: 'action', name: 'take-a-note', provider: { type: 'process', path: process.execPath, arguments: node("require('fs').appendFileSync(process.argv[1], 'noted;')", '${notes}') } },
        ],
        rollbacks: [
          { type: 'action', name: 'restore-state', provider: { type: 'process', path: process.execPath, arguments: node("require('fs').writeFileSync(process.argv[1], 'healthy')", '${state}') } },
          { type: 'action', name: 'page-someone', provider: { type: 'http', url: closedUrl, method: 'POST', timeout: 2 } },
          { ref: 'take-a-note' },
        ],
      };
      r = await run('deviates', doc);
    });

    it('validates against Chaos Toolkit\'s journal shape', () => assertCtkShape(r.disk));

    it('says completed with deviated, as Chaos Toolkit does, and exits 1', () => {
      assert.equal(r.disk.status, 'completed');
      assert.equal(r.disk.deviated, true);
      assert.equal(r.journal.status, 'completed', 'the journal in memory says the same');
      assert.equal(exitCodeOf(r.journal), 1);
    });

    it('names faultmesh as what ran it: chaoslib-version is faultmesh\'s version, beside the faultmesh marker', () => {
      assert.equal(r.disk['chaoslib-version'], packageVersion);
      assert.equal(r.disk['faultmesh-version'], packageVersion);
      assert.equal(r.disk.faultmesh, 1);
    });

    it('gives platform and node as Python\'s platform module would', () => {
      assert.match(r.disk.platform, new RegExp(`^[A-Za-z]+-[^-]+.*-${machine()}(-with-glibc[\\d.]+)?$`));
      assert.equal(r.disk.node, hostname());
    });

    it('keeps the whole experiment as written, ${} and all, in Chaos Toolkit\'s units, with secret values masked', () => {
      const { secrets, ...rest } = r.disk.experiment;
      const { secrets: _written, ...expected } = structuredClone(doc);
      // Durations Chaos Toolkit reads as seconds are given so: "2s" is 2, "${settle}" its value.
      expected['steady-state-hypothesis'].probes[0].provider.timeout = 2;
      expected.method[1].pauses = { before: 0.05, after: 0.25 };
      assert.deepEqual(rest, { ...expected, file: r.file });
      assert.deepEqual(secrets, { api: { token: '***' } });
      assert.ok(!r.text.includes('journal-s3cr3t'), 'the secret is nowhere in the journal');
      assert.equal(r.disk.experiment.method[1].provider.arguments, doc.method[1].provider.arguments);
    });

    it('writes steady_state_met beside met, before and after', () => {
      const ss = r.disk.steady_states;
      assert.deepEqual([ss.before.steady_state_met, ss.before.met, ss.after.steady_state_met, ss.after.met], [true, true, false, false]);
      assert.deepEqual(ss.after.probes.map((p: Json) => [p.activity.name, p.tolerance_met]), [['payments-up', true], ['state-healthy', false]]);
      assert.equal(ss.after.probes[1].output.stdout, 'broken', 'the output is the provider\'s');
    });

    it('writes each activity as the file wrote it: pauses in seconds, arguments in their own form, durations as given', () => {
      const [fault, breakIt] = r.disk.run as Json[];
      assert.deepEqual(breakIt!.activity.pauses, { before: 0.05, after: 0.25 });
      assert.equal(typeof breakIt!.activity.provider.arguments, 'string');
      assert.ok(breakIt!.activity.provider.arguments.endsWith(' ${state}'), 'substitution is left as written, as chaoslib leaves it');
      assert.equal(breakIt!.activity.provider.timeout, 5);
      assert.deepEqual(r.disk.steady_states.before.probes[0].activity.provider, { type: 'http', url: '${proxy}/', headers: { host: 'payments' }, timeout: 2 });
      assert.deepEqual(fault!.activity, doc.method[0]);
      assert.deepEqual(r.disk.steady_states.before.probes[1].activity.provider.arguments, doc['steady-state-hypothesis'].probes[1].provider.arguments);
      assert.deepEqual(r.disk.run.map((x: Json) => [x.activity.name, x.status, typeof x.start, typeof x.end, typeof x.duration, 'output' in x]), [
        ['hold-a-fault', 'succeeded', 'string', 'string', 'number', true],
        ['break-state', 'succeeded', 'string', 'string', 'number', true],
        ['uses-the-token', 'succeeded', 'string', 'string', 'number', true],
        ['take-a-note', 'succeeded', 'string', 'string', 'number', true],
      ]);
    });

    it('records the rollbacks, a {ref} as the activity it names, and the failed one with its exception', () => {
      const [restore, page, again] = r.disk.rollbacks as Json[];
      assert.equal(restore!.status, 'succeeded');
      assert.equal(page!.status, 'failed');
      assert.equal(page!.output, null);
      assert.ok(Array.isArray(page!.exception) && page!.exception.length >= 1 && page!.exception.every((l: unknown) => typeof l === 'string'), JSON.stringify(page!.exception));
      assert.equal(page!.exception.length, 1, 'one line: no Python traceback to give');
      assert.match(page!.exception[0]!, /^\w+: .+\n$/);
      assert.deepEqual(again!.activity, doc.method[3]);
      assert.equal(readFileSync(doc.configuration.state, 'utf8'), 'healthy', 'the rollback ran');
      assert.equal(readFileSync(doc.configuration.notes, 'utf8'), 'noted;noted;', 'the {ref} ran the activity again');
    });

    it('keeps faultmesh\'s own fields: the fault, the sections of each record, the samples', () => {
      assert.equal(r.disk.faults[0].state, 'removed');
      assert.equal(r.disk.faults[0].activity, 'hold-a-fault');
      assert.deepEqual([...new Set(r.disk.rollbacks.map((x: Json) => x.section))], ['rollback']);
      assert.equal(r.disk.steady_states.before.probes[0].tolerance, '= 200');
      assert.ok(Array.isArray(r.disk.timeseries.admins));
      assert.equal(r.disk.phase, 'done');
    });
  });

  it('a failed method activity: recorded failed with the exception, and the run goes on to complete, as chaoslib runs it', async () => {
    const r = await run('fails', {
      title: 'payments pages someone',
      description: 'the method calls a port nothing listens on',
      configuration: { proxy: mesh.proxy.proxyUrl },
      'steady-state-hypothesis': { title: 'payments answer', probes: [{ type: 'probe', name: 'payments-up', tolerance: 200, provider: { type: 'http', url: '${proxy}/', headers: { host: 'payments' } } }] },
      method: [{ type: 'action', name: 'call-nobody', provider: { type: 'http', url: closedUrl, timeout: [1, 2] } }],
      rollbacks: [{ type: 'action', name: 'say-sorry', provider: { type: 'process', path: process.execPath, arguments: ['-e', '0'] } }],
    });
    assertCtkShape(r.disk);
    assert.equal(r.disk.status, 'completed');
    assert.equal(r.disk.deviated, false);
    assert.deepEqual(r.disk.run.map((x: Json) => [x.activity.name, x.status, x.output]), [['call-nobody', 'failed', null]]);
    assert.deepEqual(r.disk.run[0].activity.provider.timeout, [1, 2]);
    assert.equal(r.disk.run[0].exception.length, 1);
    assert.ok(r.disk.run[0].exception[0].includes(r.disk.run[0].error), 'the exception names the error');
    assert.equal(r.disk.steady_states.after.steady_state_met, true, 'the hypothesis after the method was checked');
    assert.equal(r.disk.rollbacks[0].status, 'succeeded');
    assert.equal(exitCodeOf(r.journal), 0, 'as chaos run exits for a completed run that did not deviate');
  });

  it('an interrupted activity: failed with interrupted: true on disk (Chaos Toolkit knows no other status), interrupted again in reports', async () => {
    const interrupt = new AbortController();
    const r = await run(
      'interrupted',
      {
        title: 'a long pause',
        description: 'interrupted while it waits',
        method: [{ type: 'action', name: 'wait-first', pauses: { before: 30 }, provider: { type: 'process', path: process.execPath, arguments: ['-e', '0'] } }],
      },
      { interrupt: interrupt.signal, events: { activityStarted: () => interrupt.abort('SIGINT') } },
    );
    assertCtkShape(r.disk);
    assert.equal(r.disk.status, 'interrupted');
    const [record] = r.disk.run as Json[];
    assert.deepEqual([record!.status, record!.interrupted, record!.activity.pauses], ['failed', true, { before: 30 }]);
    assert.deepEqual(record!.exception, ['InterruptExecution: interrupted during the pause before\n']);
    const input = readReportInput(r.journalPath);
    assert.equal(input.kind === 'run' && input.journal.run[0]!.status, 'interrupted');
    assert.match(renderMarkdown(input, 'c').text, /\| action wait-first \| interrupted \| [\d.]+s \| interrupted: interrupted during the pause before \|/);
  });

  it('the schema refuses what Chaos Toolkit\'s journal does not allow', async () => {
    const { disk } = await run('refusals', { title: 't', description: 'd', method: [{ type: 'action', name: 'noop', provider: { type: 'process', path: process.execPath, arguments: ['-e', '0'] } }] });
    assertCtkShape(disk);
    const broken = (change: (j: Json) => void) => {
      const j = structuredClone(disk);
      change(j);
      return validate(j);
    };
    assert.equal(broken((j) => (j.run[0].status = 'interrupted')), false, 'an activity status other than succeeded or failed');
    assert.equal(broken((j) => ((j.run[0].status = 'failed'), delete j.run[0].exception)), false, 'a failed record without its exception');
    assert.equal(broken((j) => (j.run[0].activity.pauses = { before: '5s' })), false, 'a pause that is not a number of seconds');
    assert.equal(broken((j) => (j.status = 'running')), false, 'an unfinished run');
    assert.equal(broken((j) => delete j['chaoslib-version']), false, 'no chaoslib-version');
    assert.equal(broken((j) => delete j.experiment.method), false, 'an experiment without its method');
  });
});
