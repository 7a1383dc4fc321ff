import assert from 'node:assert/strict';
import { mkdirSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { builtTwin, startChild, STARTUP_TIMEOUT_MS } from '../../demo/children.js';
import { tempDir } from '../helpers/mesh-fixture.js';

describe('starting child processes', () => {
  const dir = tempDir();
  after(() => dir.remove());

  it('waits for a child that takes longer than the old 10 s to report its port', { timeout: STARTUP_TIMEOUT_MS }, async () => {
    assert.ok(STARTUP_TIMEOUT_MS >= 60_000, 'five proxies starting under tsx took 19 s on a busy 2-core machine');
    // Reports a port 10.5 s after it starts, as a slow proxy would; the old default gave up at 10 s.
    const slow = dir.file('slow.mjs', "setTimeout(() => console.log(JSON.stringify({ port: 4321 })), 10_500); setInterval(() => {}, 1000);\n");
    const child = await startChild(slow, [], { name: 'the slow child' });
    try {
      assert.equal(child.port, 4321);
    } finally {
      await child.stop();
    }
    assert.notEqual(child.proc.exitCode ?? child.proc.signalCode, null, 'the child has ended');
  });

  it('takes the port from the line the control plane prints when it is ready', { timeout: STARTUP_TIMEOUT_MS }, async () => {
    const plane = dir.file('plane.mjs', "process.stderr.write('faultmesh: control plane on http://127.0.0.1:4322 (store: memory)\\n'); setInterval(() => {}, 1000);\n");
    const child = await startChild(plane, [], { name: 'the control plane' });
    try {
      assert.equal(child.port, 4322);
    } finally {
      await child.stop();
    }
  });

  it('starts children from dist/ when the build is newer than every source file, else from source', () => {
    const root = join(dir.path, 'repo');
    for (const d of ['cli', 'demo/shop', 'dist/cli', 'dist/demo/shop']) mkdirSync(join(root, d), { recursive: true });
    const files = { main: join(root, 'cli/main.ts'), shop: join(root, 'demo/shop/shop-service.ts'), builtMain: join(root, 'dist/cli/main.js'), builtShop: join(root, 'dist/demo/shop/shop-service.js') };
    for (const f of Object.values(files)) dir.file(f.slice(dir.path.length + 1), '');
    const at = (file: string, s: number) => utimesSync(file, s, s);
    at(files.main, 1000);
    at(files.shop, 1000);
    at(files.builtMain, 2000);
    at(files.builtShop, 2000);
    assert.equal(builtTwin(files.main, root), files.builtMain);
    const stale = join(dir.path, 'stale');
    for (const d of ['cli', 'demo', 'dist/cli', 'dist/demo']) mkdirSync(join(stale, d), { recursive: true });
    for (const f of ['cli/main.ts', 'demo/edited.ts', 'dist/cli/main.js', 'dist/demo/edited.js']) dir.file(`stale/${f}`, '');
    at(join(stale, 'dist/demo/edited.js'), 1000);
    at(join(stale, 'demo/edited.ts'), 2000);
    assert.equal(builtTwin(join(stale, 'cli/main.ts'), stale), undefined, 'a source edited after the build: the build would run old code');
    assert.equal(builtTwin(join(root, 'cli/other.ts'), root), undefined, 'no twin built');
  });
});
