import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { etcdInstalled } from '../../bench/etcd-cluster.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
// The source, through tsx: bench/ is outside what the build-freshness check of the CLI looks at, so a dist/ twin may be stale.
const bench = fileURLToPath(new URL('../../bench/lease-trials.ts', import.meta.url));

describe('bench:leases', { skip: !etcdInstalled() && 'etcd is not installed (apt-get install etcd-server)' }, () => {
  let running: ReturnType<typeof spawn> | undefined;
  after(() => {
    if (running && running.exitCode === null && running.signalCode === null) running.kill('SIGKILL');
  });

  const runBench = async (args: readonly string[]) => {
    const argv = ['--import', 'tsx', bench, ...args];
    running = spawn(process.execPath, argv, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    running.stdout!.on('data', (d) => (out += d));
    running.stderr!.on('data', (d) => (out += d));
    const [code] = (await once(running, 'exit')) as [number | null];
    return { code, out };
  };

  it('runs three trials end to end and reports that no fault outlived its lease', async () => {
    const { code, out } = await runBench(['--trials', '3', '--parallel', '2']);
    assert.equal(code, 0, out);
    assert.match(out, /\| the SIGKILL\s+\| 3 \|/, 'a row of three times from the kill');
    assert.match(out, /\| the lease's end\s+\| 3 \|/, "a row of three times from the lease's end");
    assert.match(out, /lease trials: 0 of 3 faults outlived their lease \+ 1 s \(target 0\)/);
  });

  it('refuses a bad --trials with exit 2 and the flag named', async () => {
    const { code, out } = await runBench(['--trials', 'many']);
    assert.equal(code, 2);
    assert.match(out, /bench:leases: --trials must be a whole number from 1 to 10000, not "many"/);
    assert.doesNotMatch(out, /\n\s+at /, 'no stack trace');
  });
});
