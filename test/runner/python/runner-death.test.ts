import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { isAlive } from '../../helpers/processes.js';
import { waitFor } from '../../helpers/wait.js';
import { PYTHON_FIXTURES, pythonDir } from './python-fixture.js';

const module = (rel: string) => fileURLToPath(new URL(`../../../runner/python/${rel}`, import.meta.url));

describe('Python processes when the runner dies', () => {
  const dir = pythonDir();
  copyFileSync(join(PYTHON_FIXTURES, 'fm_pid_control.py'), join(dir.path, 'fm_pid_control.py'));
  const children: Array<ReturnType<typeof spawn>> = [];
  after(() => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    dir.remove();
  });
  const readPid = (file: string) => Number(readFileSync(file, 'utf8')) || 0;

  it('end when the runner is killed: a provider call and the controls process, even one busy in a hook', async () => {
    const callPid = dir.file('call.pid', '');
    const controlPid = dir.file('control.pid', '');
    // A runner of our own, killed with SIGKILL: it gets no chance to end its children.
    const script = dir.file(
      'runner.mts',
      `import { callPython } from ${JSON.stringify(module('call-python.ts'))};
import { ControlBridge } from ${JSON.stringify(module('control-bridge.ts'))};
const choice = { interpreter: 'python3', from: 'PATH' };
const sys_path = [${JSON.stringify(dir.path)}];
void callPython(choice, { module: 'fm_probe', func: 'linger', arguments: { seconds: 60, pid_file: ${JSON.stringify(callPid)} }, configuration: {}, secrets: null, sysPath: sys_path }, { signal: new AbortController().signal, timeoutMs: 60000, who: 'activity "linger"' });
const bridge = new ControlBridge(choice);
await bridge.call({ op: 'init', sys_path, experiment: {}, configuration: {}, secrets: {} }, 10000);
await bridge.call({ op: 'hook', module: 'fm_pid_control', func: 'configure_control', arguments: { pid_file: ${JSON.stringify(controlPid)} } }, 10000);
void bridge.call({ op: 'hook', module: 'fm_pid_control', func: 'before_experiment_control', arguments: { pid_file: ${JSON.stringify(controlPid)} }, context_is_experiment: true }, 60000);
`,
    );
    const runner = spawn(process.execPath, ['--import', 'tsx', script], { cwd: fileURLToPath(new URL('../../..', import.meta.url)), stdio: ['ignore', 'ignore', 'pipe'] });
    children.push(runner);
    let stderr = '';
    runner.stderr!.on('data', (d) => (stderr += d));
    await waitFor(() => readPid(callPid) > 0 && readPid(controlPid) > 0, `both Python processes have started (runner stderr: ${stderr})`);
    const pids = [readPid(callPid), readPid(controlPid)];
    assert.ok(pids.every(isAlive));
    runner.kill('SIGKILL');
    // The call ends at once; the controls process gives a busy hook 5 s, then goes.
    await waitFor(() => !isAlive(pids[0]!), 'the provider\'s Python process is gone');
    await waitFor(() => !isAlive(pids[1]!), 'the controls\' Python process is gone', 20_000);
  });
});
