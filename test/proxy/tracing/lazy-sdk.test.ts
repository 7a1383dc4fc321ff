import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';

const root = fileURLToPath(new URL('../../..', import.meta.url));

/**
 * Starts a proxy in a fresh process (tracing as given) and says which
 * OpenTelemetry packages it loaded: they are CommonJS, so whatever loads
 * them, ESM import included, leaves them in require's cache.
 */
function loadedOtel(tracing: string): Promise<string[]> {
  const script = `
    import { createRequire } from 'node:module';
    import { writeFileSync, mkdtempSync } from 'node:fs';
    import { tmpdir } from 'node:os';
    import { join } from 'node:path';
    import { startProxy } from './proxy/proxy-app.ts';
    const dir = mkdtempSync(join(tmpdir(), 'faultmesh-lazy-'));
    const meshFile = join(dir, 'mesh.yaml');
    writeFileSync(meshFile, 'services:\\n  payments:\\n    instances: [{ id: pay-1, address: 127.0.0.1:9301 }]\\n');
    const proxy = await startProxy({ meshFile, listen: { host: '127.0.0.1', port: 0 }, admin: { host: '127.0.0.1', port: 0 }, accessLog: { kind: 'off' }, tracing: ${tracing} });
    const loaded = Object.keys(createRequire(import.meta.url).cache).map((p) => /@opentelemetry\\/([^/]+)/.exec(p)?.[1]).filter(Boolean);
    await proxy.close(100);
    process.stdout.write(JSON.stringify([...new Set(loaded)].sort()));
  `;
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: root, timeout: 60_000 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`${err.message}\n${stderr}`));
      resolve(JSON.parse(stdout) as string[]);
    });
  });
}

describe('the OpenTelemetry SDK in a sidecar', () => {
  it('is not loaded while the proxy exports no spans', async () => {
    // The API alone (a few hundred KiB) comes with prom-client's default process metrics, which use it when it is installed.
    assert.deepEqual((await loadedOtel('undefined')).filter((pkg) => pkg !== 'api'), []);
  });

  it('is loaded once an endpoint is given, before the proxy listens', async () => {
    const loaded = await loadedOtel("{ otlpEndpoint: 'http://127.0.0.1:9' }");
    for (const pkg of ['api', 'sdk-trace-base', 'exporter-trace-otlp-http']) assert.ok(loaded.includes(pkg), `${pkg} in ${loaded.join(', ')}`);
  });
});
