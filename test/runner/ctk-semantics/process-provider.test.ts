import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { providerSchema, type ProviderOf } from '../../../runner/experiment/provider-schema.js';
import { findProgram } from '../../../runner/providers/program-path.js';
import { commandOf, runProcess } from '../../../runner/providers/process.js';
import { tempDir } from '../../helpers/mesh-fixture.js';
import { providerContext } from '../../helpers/runner-fixture.js';
import { waitFor } from '../../helpers/wait.js';

const parse = (raw: Record<string, unknown>) => providerSchema.parse({ type: 'process', ...raw }) as ProviderOf<'process'>;
const node = process.execPath;

/** Whether a process the test started (through the provider) is still there; signal 0 only asks. */
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('a process provider whose arguments are a string', () => {
  it('runs them through /bin/sh -c with the program in front, as Chaos Toolkit\'s shell=True does', () => {
    assert.deepEqual(commandOf('/usr/bin/echo', 'a "b c" | wc -w'), { file: '/bin/sh', argv: ['-c', '/usr/bin/echo a "b c" | wc -w'] });
  });

  it('quotes a program path the shell would split, so it still names one program', () => {
    assert.deepEqual(commandOf('/opt/my tools/run', '-v'), { file: '/bin/sh', argv: ['-c', `'/opt/my tools/run' -v`] });
  });

  it('gives pipes, quotes and $VARIABLES their shell meaning', async () => {
    process.env.FM_H4_GREETING = 'hello there';
    const out = await runProcess(parse({ path: 'echo', arguments: `"$FM_H4_GREETING" '$NOT_EXPANDED' | tr a-z A-Z` }), providerContext().ctx);
    assert.deepEqual(out, { status: 0, stdout: 'HELLO THERE $NOT_EXPANDED\n', stderr: '' });
  });

  it('returns the shell\'s exit status for the tolerance to judge', async () => {
    const out = await runProcess(parse({ path: 'sh', arguments: '-c "exit 7"' }), providerContext().ctx);
    assert.equal(out.status, 7);
  });
});

describe('a process provider whose arguments are a list', () => {
  it('passes each item as it is, with no shell: no pipes, no variables', async () => {
    const out = await runProcess(parse({ path: 'echo', arguments: ['$HOME', '|', 'wc', '"q"'] }), providerContext().ctx);
    assert.equal(out.stdout, '$HOME | wc "q"\n');
  });

  it('drops null and empty items and writes booleans as Python does, as Chaos Toolkit passes them', async () => {
    const p = parse({ path: node, arguments: ['-e', 'console.log(JSON.stringify(process.argv.slice(1)))', null, '', true, false, 7, 0.5] });
    assert.deepEqual(p.arguments, ['-e', 'console.log(JSON.stringify(process.argv.slice(1)))', 'True', 'False', '7', '0.5']);
    const out = await runProcess(p, providerContext().ctx);
    assert.deepEqual(JSON.parse(out.stdout), ['True', 'False', '7', '0.5']);
  });

  it('flattens a mapping to key, value, ... as Chaos Toolkit does, leaving null values out', () => {
    assert.deepEqual(parse({ path: 'vegeta', arguments: { '-rate': 50, '-duration': '5s', '-insecure': null } }).arguments, ['-rate', '50', '-duration', '5s', '-insecure']);
  });
});

describe('a process provider\'s child', () => {
  const dir = tempDir();
  after(() => dir.remove());

  it('inherits the runner\'s environment', async () => {
    process.env.FM_H4_INHERITED = 'from the runner';
    const out = await runProcess(parse({ path: node, arguments: ['-e', 'process.stdout.write(process.env.FM_H4_INHERITED)'] }), providerContext().ctx);
    assert.equal(out.stdout, 'from the runner');
  });

  it('keeps only the last 1 MiB of each output stream', async () => {
    const out = await runProcess(parse({ path: node, arguments: ['-e', 'process.stdout.write("a".repeat(3 * 1024 * 1024) + "END")'] }), providerContext().ctx);
    assert.equal(out.stdout.length, 1024 * 1024);
    assert.ok(out.stdout.endsWith('aEND'));
  });

  it('past its timeout is killed with everything its shell started, and the activity fails', async () => {
    const pidFile = dir.file('grandchild.pid', '');
    const started = runProcess(parse({ path: 'sh', arguments: `-c 'sleep 30 & echo $! > ${pidFile}; wait'`, timeout: '1s' }), providerContext().ctx);
    await assert.rejects(started, /ran past its 1s timeout and was killed/);
    const pid = Number(readFileSync(pidFile, 'utf8'));
    assert.ok(pid > 0, 'the shell wrote its child\'s pid');
    await waitFor(() => !alive(pid), 'the shell\'s own child is gone too');
  });

  it('is killed, with its process group, when the run is stopped', async () => {
    const pidFile = dir.file('interrupted.pid', '');
    const { ctx, controller } = providerContext();
    const started = runProcess(parse({ path: 'sh', arguments: `-c 'sleep 30 & echo $! > ${pidFile}; wait'` }), ctx);
    await waitFor(() => readFileSync(pidFile, 'utf8').trim() !== '', 'the shell started its child');
    const pid = Number(readFileSync(pidFile, 'utf8'));
    controller.abort();
    await assert.rejects(started, /was killed: the run was stopped/);
    await waitFor(() => !alive(pid), 'the shell\'s child is gone');
  });

  it('is not started at all when the run was already stopped', async () => {
    const marker = `${dir.path}/never-started`;
    const { ctx, controller } = providerContext();
    controller.abort();
    await assert.rejects(runProcess(parse({ path: 'sh', arguments: ['-c', `touch ${marker}`] }), ctx), /not started/);
    assert.equal(existsSync(marker), false);
  });
});

describe('finding a process provider\'s program', () => {
  const dir = tempDir();
  after(() => dir.remove());

  it('searches PATH for a bare name and returns where it is', () => {
    const found = findProgram('sh');
    assert.ok(found.ok && found.path.endsWith('/sh'), JSON.stringify(found));
  });

  it('takes a path with a slash as it is, relative to the current directory, and needs it executable', () => {
    const script = dir.file('run.sh', '#!/bin/sh\necho ran\n');
    assert.deepEqual(findProgram(script), { ok: false, reason: `"${script}" is not executable: chmod +x it, or run it through its interpreter (path: sh, arguments: [${script}])` });
    chmodSync(script, 0o755);
    assert.deepEqual(findProgram(script), { ok: true, path: script });
  });

  it('says a missing program is not on PATH, a missing file does not exist, and a directory is no program', () => {
    const missing = findProgram('faultmesh-no-such-program', { PATH: '/usr/bin:/bin' });
    assert.deepEqual(missing, { ok: false, reason: '"faultmesh-no-such-program" is not found on PATH (2 directories searched): install it, or give its path' });
    const nofile = findProgram('./no/such/tool');
    assert.ok(!nofile.ok && nofile.reason === `"./no/such/tool" does not exist (relative to the current directory, ${process.cwd()})`, JSON.stringify(nofile));
    mkdirSync(`${dir.path}/bin`);
    assert.deepEqual(findProgram(`${dir.path}/bin`), { ok: false, reason: `"${dir.path}/bin" is a directory, not a program` });
  });

  it('skips a file on PATH that is not executable, as which does', () => {
    dir.file('fm-h4-tool', 'echo not runnable\n');
    assert.equal(findProgram('fm-h4-tool', { PATH: dir.path }).ok, false);
    chmodSync(`${dir.path}/fm-h4-tool`, 0o755);
    assert.deepEqual(findProgram('fm-h4-tool', { PATH: dir.path }), { ok: true, path: `${dir.path}/fm-h4-tool` });
  });

  it('fails the activity, before anything is spawned, when the program cannot be found', async () => {
    await assert.rejects(runProcess(parse({ path: 'faultmesh-no-such-program', arguments: 'ignored' }), providerContext().ctx), /cannot run "faultmesh-no-such-program": .*not found on PATH/);
  });
});
