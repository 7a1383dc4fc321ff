import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const main = fileURLToPath(new URL('../../../bench/control/main.ts', import.meta.url));

/** bench:control as `npm run bench:control` runs it, under tsx; bounded, so a bench that started measuring fails the test instead of hanging it. */
function benchControl(env: Record<string, string>) {
  return spawnSync(process.execPath, ['--import', 'tsx', main], { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 60_000 });
}

describe('bench:control settings', () => {
  it('refuses a store it does not know in one line with exit 2, before starting anything', () => {
    const run = benchControl({ BENCH_STORES: 'memory,disk' });
    assert.equal(run.status, 2, run.stderr);
    assert.match(run.stderr, /^bench:control: BENCH_STORES is a comma-separated list of memory and etcd, not "memory,disk"\n$/);
  });

  it('skips the etcd store, saying why, when etcd is not installed', () => {
    const run = benchControl({ BENCH_STORES: 'etcd', FAULTMESH_ETCD_BIN: '/nonexistent/etcd' });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /etcd store: skipped: no etcd at \/nonexistent\/etcd \(apt-get install etcd-server/);
  });
});
