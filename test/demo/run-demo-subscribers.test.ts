import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runDemo } from '../../demo/shop/run-demo.js';
import { tempDir } from '../helpers/mesh-fixture.js';
import { isAlive } from '../helpers/processes.js';

const alive = isAlive;

describe('the demo with a log that throws', () => {
  const dir = tempDir();
  const pids: number[] = [];
  after(() => {
    // Only if the demo failed to: the processes it started, by PID.
    for (const pid of pids.filter(alive)) process.kill(pid, 'SIGKILL');
    dir.remove();
  });

  it('starts and stops the whole shop anyway, and leaves no process behind', async () => {
    const lines: string[] = [];
    const result = await runDemo({
      experimentsDir: fileURLToPath(new URL('../../experiments', import.meta.url)),
      outDir: join(dir.path, 'demo'),
      ephemeralPorts: true,
      quick: true,
      rate: 5,
      runExperiments: false,
      events: () => ({}),
      log: (line) => {
        lines.push(line);
        const listed = /^processes: ([\d ]+)$/.exec(line);
        if (listed) pids.push(...listed[1]!.split(' ').map(Number));
        throw new Error('the log broke');
      },
      interrupt: new AbortController().signal,
    });
    assert.deepEqual(result.runs, []);
    assert.deepEqual(result.canaries, [], 'without the experiments, no canary runs either');
    assert.equal(pids.length, 10, `the control plane, five proxies and four services: ${lines.join('\n')}`);
    assert.deepEqual(pids.filter(alive), [], 'every process the demo started has ended');
  });
});
