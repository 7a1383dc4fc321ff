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

describe('enrollment and the control-plane CA load the X.509 library only when used', () => {
  it('is not loaded by the proxy start path, its --join-token flags, or a control plane and its CLI', async () => {
    assert.equal(await loadsLibrary(['proxy/proxy-app.ts', 'proxy/cluster/primary.ts', 'cli/commands/proxy.ts', 'cli/commands/proxy-enroll-flags.ts', 'control/control-plane.ts', 'cli/commands/control.ts', 'cli/commands/ca-token.ts']), false);
  });

  it('is loaded by the enrollment itself (the check above can tell)', async () => {
    assert.equal(await loadsLibrary(['proxy/identity/enrollment.ts']), true);
  });
});
