import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { processTree, startChild, STARTUP_TIMEOUT_MS, type Child } from '../../demo/children.js';
import { treeRssMiB, withPeakRss } from '../../bench/memory.js';
import { tempDir } from '../helpers/mesh-fixture.js';
import { waitFor } from '../helpers/wait.js';

// A parent that stays idle and a child of its own that spins, as a cluster
// primary and its workers: what the bench charges the target must include the child.
const PARENT = `
import { fork } from 'node:child_process';
const spinner = fork(new URL('./spinner.mjs', import.meta.url));
process.on('SIGTERM', () => { spinner.kill('SIGKILL'); process.exit(0); });
spinner.once('spawn', () => console.log(JSON.stringify({ port: 1, spinner: spinner.pid })));
setInterval(() => {}, 1000);
`;
const SPINNER = `process.on('disconnect', () => process.exit(0)); for (;;) {}\n`;

describe('the bench charges a target for its whole process tree', () => {
  const dir = tempDir();
  let parent: Child | undefined;
  let spinnerPid: number | undefined;
  after(async () => {
    await parent?.stop();
    if (spinnerPid !== undefined && processTree(spinnerPid).length > 0) process.kill(spinnerPid, 'SIGKILL');
    dir.remove();
  });

  it('counts a child process in the CPU time and the RSS of the process that started it', { timeout: STARTUP_TIMEOUT_MS }, async () => {
    dir.file('spinner.mjs', SPINNER);
    parent = await startChild(dir.file('parent.mjs', PARENT), [], { name: 'the parent' });
    spinnerPid = Number(/"spinner":(\d+)/.exec(parent.readyLine)![1]);
    const pid = parent.proc.pid!;
    assert.deepEqual(processTree(pid), [pid, spinnerPid], 'the tree is the parent, then its child');
    // The parent alone idles (a Node start costs well under 100 ms of CPU); only the spinning child can bring the tree past 1.5 s.
    await waitFor(() => parent!.cpuMs() >= 1500, 'the tree has used 1.5 s of CPU');
    const { peakRssMiB } = await withPeakRss(pid, () => new Promise((resolve) => setTimeout(resolve, 300)));
    const childAlone = treeRssMiB(spinnerPid);
    assert.ok(treeRssMiB(pid) > childAlone, 'the tree holds more memory than the child alone');
    assert.ok(peakRssMiB >= treeRssMiB(pid) * 0.9, `the sampled peak (${peakRssMiB} MiB) is the tree's`);
  });

  it('finds no tree for a process that is gone', () => {
    assert.deepEqual(processTree(2 ** 22 + 1), []);
    assert.ok(Number.isNaN(treeRssMiB(2 ** 22 + 1)));
  });
});
