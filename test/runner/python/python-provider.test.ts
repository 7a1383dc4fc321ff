import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { runActivity } from '../../../runner/activity.js';
import { MAX_RESULT_BYTES } from '../../../runner/python/call-python.js';
import { isAlive } from '../../helpers/processes.js';
import { waitFor } from '../../helpers/wait.js';
import { activityIn, pythonContext, pythonDir } from './python-fixture.js';

describe('a python provider', () => {
  const dir = pythonDir();
  after(() => dir.remove());
  const run = async (yaml: string, env = {}) => {
    const { ctx } = pythonContext(dir, env);
    return runActivity(activityIn(dir, yaml), 'method', ctx);
  };
  const answer = (kind: string) => run(`{ type: probe, name: p, provider: { type: python, module: fm_probe, func: answer, arguments: { kind: ${kind} } } }`);

  it('calls a standard-library function and judges its result against the tolerance, both ways', async () => {
    const exists = (path: string) => run(`{ type: probe, name: exists, tolerance: true, provider: { type: python, module: os.path, func: exists, arguments: { path: "${path}" } } }`);
    const yes = await exists(dir.path);
    assert.equal(yes.status, 'succeeded', yes.error);
    assert.equal(yes.output, true);
    assert.equal(yes.tolerance_met, true);
    const no = await exists(`${dir.path}/no-such-file`);
    assert.equal(no.status, 'succeeded');
    assert.equal(no.output, false);
    assert.equal(no.tolerance_met, false);
  });

  it('returns a dict, a number and a bool as they are', async () => {
    assert.deepEqual((await answer('dict')).output, { status: 'up', replicas: 3 });
    assert.equal((await answer('number')).output, 0.75);
    assert.equal((await answer('bool')).output, true);
    assert.equal((await answer('none')).output, null);
  });

  it('writes values JSON cannot hold as Chaos Toolkit\'s journal encoder does, without failing', async () => {
    const r = await answer('odd');
    assert.equal(r.status, 'succeeded', r.error);
    const out = r.output as Record<string, unknown>;
    assert.equal(out.at, '2024-05-01T12:30:00');
    assert.equal(out.cost, '9.99');
    assert.equal(out.id, '00000000-0000-0000-0000-000000000001');
    assert.equal(out.raw, 'bytes');
    assert.deepEqual(out.tags, ['a', 'b']);
    assert.match(String(out.thing), /^<object object at 0x[0-9a-f]+>$/);
  });

  it('keeps what the function prints apart from its result, in the record', async () => {
    const r = await run('{ type: action, name: shout, provider: { type: python, module: fm_probe, func: shout, arguments: { text: hello } } }');
    assert.equal(r.status, 'succeeded', r.error);
    assert.equal(r.output, 5);
    assert.equal(r.logs?.stdout, 'a line printed by the provider, not its result\nhello\n');
  });

  it('says of a builtin\'s TypeError what validate warned: it has no signature, and Chaos Toolkit passes arguments by keyword', async () => {
    const r = await run('{ type: probe, name: biggest, provider: { type: python, module: builtins, func: max, arguments: { key: 1 } } }');
    assert.equal(r.status, 'failed');
    assert.match(r.error ?? '', /^TypeError: max expected .+ \(builtins\.max is a builtin without a signature; Chaos Toolkit calls it with keyword arguments, which most builtins refuse\)$/);
  });

  it('fails the activity with ExceptionType: message when the function raises, and keeps the traceback', async () => {
    const r = await run('{ type: action, name: boom, provider: { type: python, module: fm_probe, func: fail, arguments: { message: "the disk is full" } } }');
    assert.equal(r.status, 'failed');
    assert.equal(r.error, 'fm_probe.ProbeFailed: the disk is full');
    const tb = r.exception ?? [];
    assert.equal(tb[0], 'Traceback (most recent call last):\n');
    assert.ok(tb.some((l) => /fm_probe\.py", line \d+, in deeper/.test(l)), tb.join(''));
    assert.equal(tb.at(-1), 'fm_probe.ProbeFailed: the disk is full\n');
    assert.ok(!tb.some((l) => l.includes('<string>')), 'the bridge\'s own frame is not in the traceback');
  });

  it('passes configuration and the declared secret scopes only to a function that takes them', async () => {
    const env = { configuration: { region: 'eu' }, secrets: { k8s: { token: 't1' }, aws: { key: 'k2' } } };
    const declared = await run('{ type: probe, name: sees, provider: { type: python, module: fm_probe, func: sees, secrets: [k8s] } }', env);
    assert.deepEqual(declared.output, { configuration: { region: 'eu' }, secrets: { token: 't1' }, name: 'x' });
    // No scope declared: chaoslib passes no `secrets` at all.
    const none = await run('{ type: probe, name: sees, provider: { type: python, module: fm_probe, func: sees } }', env);
    assert.deepEqual(none.output, { configuration: { region: 'eu' }, secrets: null, name: 'x' });
    // A function that does not take them gets neither, even with **kwargs.
    const kwargs = await run('{ type: probe, name: any, provider: { type: python, module: fm_probe, func: anything, arguments: { a: 1 }, secrets: [k8s] } }', env);
    assert.deepEqual(kwargs.output, ['a']);
  });

  it('kills the child (and the function) past its timeout', async () => {
    const pidFile = dir.file('timeout.pid', '');
    const started = performance.now();
    const r = await run(`{ type: action, name: slow, provider: { type: python, module: fm_probe, func: linger, arguments: { seconds: 60, pid_file: "${pidFile}" }, timeout: 1 } }`);
    assert.equal(r.status, 'failed');
    assert.match(r.error ?? '', /fm_probe\.linger ran past its 1s timeout and was killed/);
    assert.ok(performance.now() - started < 20_000);
    const pid = Number(readFileSync(pidFile, 'utf8'));
    await waitFor(() => !isAlive(pid), `the Python process ${pid} is gone`);
  });

  it('kills the child at once when the run is interrupted, and the record says interrupted', async () => {
    const pidFile = dir.file('interrupt.pid', '');
    const { ctx, controller } = pythonContext(dir);
    const running = runActivity(activityIn(dir, `{ type: action, name: slow, provider: { type: python, module: fm_probe, func: linger, arguments: { seconds: 60, pid_file: "${pidFile}" } } }`), 'method', ctx);
    await waitFor(() => readFileSync(pidFile, 'utf8') !== '', 'the function has started');
    const pid = Number(readFileSync(pidFile, 'utf8'));
    controller.abort();
    const r = await running;
    assert.equal(r.status, 'interrupted');
    await waitFor(() => !isAlive(pid), `the Python process ${pid} is gone`);
  });

  it('refuses a result past 16 MiB with a clear error', async () => {
    const r = await run(`{ type: probe, name: big, provider: { type: python, module: fm_probe, func: big, arguments: { size: ${MAX_RESULT_BYTES + 1024} } } }`);
    assert.equal(r.status, 'failed');
    assert.match(r.error ?? '', /fm_probe\.big returned more than 16 MiB of JSON/);
  });

  it('names the activity and how to fix it when the interpreter is missing', async () => {
    const r = await run('{ type: probe, name: kill-pod, provider: { type: python, module: os.path, func: exists, arguments: { path: / } } }', { choice: { interpreter: '/nonexistent/python3', from: '--python' } });
    assert.equal(r.status, 'failed');
    assert.equal(r.error, 'activity "kill-pod" needs Python: --python /nonexistent/python3 does not exist; install Python 3, or name an interpreter with --python PATH or FAULTMESH_PYTHON');
  });
});
