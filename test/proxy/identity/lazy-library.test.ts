import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, it } from 'node:test';

const root = fileURLToPath(new URL('../../..', import.meta.url));

/** In a fresh process: imports `modules`, then says whether reflect-metadata (loaded only with @peculiar/x509) is there. */
async function loadsLibrary(modules: readonly string[]): Promise<boolean> {
  const script = `${modules.map((m) => `await import(${JSON.stringify(`./${m}`)});`).join(' ')} process.stdout.write(typeof Reflect.getMetadata);`;
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: root });
  return stdout === 'function';
}

describe('the X.509 library stays off the proxy path', () => {
  it('is not loaded by the peer checks, the identity files or the ca command module', async () => {
    assert.equal(await loadsLibrary(['proxy/identity/peer.ts', 'proxy/identity/cert-files.ts', 'proxy/identity/spiffe.ts', 'cli/commands/ca.ts']), false);
  });

  it('is loaded by x509.ts, with its polyfill (the check above can tell)', async () => {
    assert.equal(await loadsLibrary(['proxy/identity/x509.ts']), true);
  });
});
