import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { machine } from 'node:os';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { exceptionOf, faultmeshVersion, journalOnDisk, platformName, statusOfFinishedRun } from '../../../runner/ctk-journal.js';
import type { Activity } from '../../../runner/experiment/activity-schema.js';
import { loadExperiment } from '../../../runner/experiment/load-experiment.js';
import { newJournal, type ActivityRecord, type HypothesisRecord } from '../../../runner/journal.js';
import { tempDir } from '../../helpers/mesh-fixture.js';

describe('the form a journal writes activities in', () => {
  const dir = tempDir();
  after(() => dir.remove());
  const load = (yaml: string) => loadExperiment(dir.file(`exp-${Math.random().toString(36).slice(2)}.yaml`, yaml));

  const exp = load(`title: units
description: durations in every form faultmesh takes
configuration:
  settle: 0.5
  url: http://127.0.0.1:9/
method:
  - type: action
    name: shell-form
    pauses: { before: 250ms, after: "\${settle}" }
    provider: { type: process, path: /bin/echo, arguments: "a   'b c' \${settle}", timeout: 1500ms }
  - type: probe
    name: list-form
    pauses: { after: 2 }
    provider: { type: process, path: /bin/echo, arguments: ["-n", 1, "\${settle}"] }
  - { type: probe, name: two-timeouts, provider: { type: http, url: "\${url}", timeout: [1, 2s] } }
rollbacks:
  - { ref: shell-form }
`);

  it('gives pauses and http and process timeouts in seconds, as Chaos Toolkit reads them', () => {
    const shell = exp.asWritten.get('shell-form')!;
    assert.deepEqual(shell.pauses, { before: 0.25, after: 0.5 });
    assert.equal((shell.provider as { timeout: unknown }).timeout, 1.5);
    assert.deepEqual(exp.asWritten.get('list-form')!.pauses, { after: 2 });
    assert.deepEqual((exp.asWritten.get('two-timeouts')!.provider as { timeout: unknown }).timeout, [1, 2]);
  });

  it('keeps arguments in the form the file wrote them, and ${} unsubstituted', () => {
    assert.equal((exp.asWritten.get('shell-form')!.provider as { arguments: unknown }).arguments, "a   'b c' ${settle}");
    assert.deepEqual((exp.asWritten.get('list-form')!.provider as { arguments: unknown }).arguments, ['-n', 1, '${settle}']);
    assert.equal((exp.asWritten.get('two-timeouts')!.provider as { url: unknown }).url, '${url}');
    assert.deepEqual((exp.method[1]!.provider as { arguments: unknown }).arguments, ['-n', '1', '0.5'], 'the run itself uses the parsed, substituted form');
  });

  it('writes the experiment in the same form, a {ref} as a ref', () => {
    const doc = exp.document as { method: unknown[]; rollbacks: unknown[]; configuration: unknown };
    assert.deepEqual(doc.method, [...exp.asWritten.values()]);
    assert.deepEqual(doc.rollbacks, [{ ref: 'shell-form' }]);
    assert.deepEqual(doc.configuration, { settle: 0.5, url: 'http://127.0.0.1:9/' });
  });

  it('puts each record\'s activity in that form, by name; one no file wrote keeps its parsed form, pauses in seconds', () => {
    const journal = newJournal(exp, 'r1', new Date(0));
    const record = (activity: Activity, fields: Partial<ActivityRecord> = {}): ActivityRecord => ({ activity, section: 'method', status: 'succeeded', start: 'x', end: 'y', duration: 0, ...fields });
    const madeInCode = { ...exp.method[1]!, name: 'made-in-code' } as Activity;
    journal.run.push(record(exp.method[0]!), record(madeInCode, { status: 'failed', error: 'boom' }));
    const disk = journalOnDisk(journal, exp.asWritten) as { run: Array<Record<string, unknown>> };
    assert.deepEqual(disk.run[0]!.activity, exp.asWritten.get('shell-form'));
    assert.deepEqual(disk.run[0]!.output, null);
    assert.deepEqual(disk.run[1]!.activity, { ...madeInCode, pauses: { after: 2 } });
    assert.deepEqual(disk.run[1]!.exception, ['ActivityFailed: boom\n']);
  });
});

describe('Chaos Toolkit\'s fields', () => {
  it('give a failed provider\'s exception: the Python traceback it carries, else one line naming the error', () => {
    const traceback = ['Traceback (most recent call last):\n', '  File "m.py", line 2, in f\n', 'ValueError: no\n'];
    assert.deepEqual(exceptionOf(Object.assign(new Error('no'), { exception: traceback })), traceback);
    assert.deepEqual(exceptionOf(new TypeError('not a function')), ['TypeError: not a function\n']);
    assert.deepEqual(exceptionOf('thrown text'), ['Error: thrown text\n']);
    assert.deepEqual(exceptionOf(Object.assign(new Error('x'), { exception: [] })), ['Error: x\n'], 'an empty traceback is none');
  });

  it('say completed for a run nobody stopped, deviated or not, and failed when a probe after the method could not run', () => {
    const check = (statuses: Array<ActivityRecord['status']>): HypothesisRecord => ({ at: 't', met: false, probes: statuses.map((status) => ({ status }) as ActivityRecord) });
    assert.equal(statusOfFinishedRun({ steady_states: { before: null, during: [], after: null } }), 'completed');
    assert.equal(statusOfFinishedRun({ steady_states: { before: null, during: [check(['failed'])], after: check(['succeeded']) } }), 'completed');
    assert.equal(statusOfFinishedRun({ steady_states: { before: null, during: [], after: check(['succeeded', 'failed']) } }), 'failed');
  });

  it('name the version from package.json and the platform as Python does', () => {
    const pkg = JSON.parse(readFileSync(fileURLToPath(new URL('../../../package.json', import.meta.url)), 'utf8')) as { version: string };
    assert.equal(faultmeshVersion(), pkg.version);
    assert.ok(platformName().includes(`-${machine()}`), platformName());
    if (process.platform === 'linux') assert.match(platformName(), /^Linux-\S+-with-glibc\d+\.\d+$|^Linux-\S+$/);
  });
});
