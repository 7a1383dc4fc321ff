import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import seedrandom from 'seedrandom';
import { startEchoUpstream, type EchoUpstream } from '../../demo/echo-upstream.js';
import { startProxy, type ProxyOptions, type RunningProxy } from '../../proxy/proxy-app.js';

export interface InstanceSpec {
  readonly service: string;
  readonly id: string;
  readonly region?: string;
  readonly zone?: string;
  readonly labels?: Record<string, string>;
}

/** A temporary folder for one test file's mesh files and logs. */
export function tempDir(): { path: string; file(name: string, text: string): string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), 'faultmesh-test-'));
  return {
    path,
    file: (name, text) => {
      const file = join(path, name);
      writeFileSync(file, text);
      return file;
    },
    remove: () => rmSync(path, { recursive: true, force: true }),
  };
}

/** Starts one echo upstream per instance, on ports the OS picks. */
export async function startUpstreams(specs: readonly InstanceSpec[]): Promise<Map<string, EchoUpstream>> {
  const started = new Map<string, EchoUpstream>();
  for (const s of specs) started.set(s.id, await startEchoUpstream({ service: s.service, instance: s.id, region: s.region }));
  return started;
}

/** Mesh YAML for running upstreams; `extra` is appended under each service (routes, loadBalancer...). */
export function meshYaml(specs: readonly InstanceSpec[], upstreams: ReadonlyMap<string, EchoUpstream>, extra: Record<string, string> = {}): string {
  const services = [...new Set(specs.map((s) => s.service))];
  const lines = ['services:'];
  for (const service of services) {
    lines.push(`  ${service}:`, '    instances:');
    for (const s of specs.filter((x) => x.service === service)) {
      const fields = [`id: ${s.id}`, `address: 127.0.0.1:${upstreams.get(s.id)!.port}`];
      if (s.region) fields.push(`region: ${s.region}`);
      if (s.zone) fields.push(`zone: ${s.zone}`);
      if (s.labels) fields.push(`labels: ${JSON.stringify(s.labels)}`);
      lines.push(`      - { ${fields.join(', ')} }`);
    }
    if (extra[service]) lines.push(...extra[service].split('\n').map((l) => `    ${l}`));
  }
  return `${lines.join('\n')}\n`;
}

/** Starts a proxy on loopback ports the OS picks, seeded so weighted picks repeat. */
export function startTestProxy(meshFile: string, options: Partial<ProxyOptions> = {}): Promise<RunningProxy> {
  return startProxy({
    meshFile,
    listen: { host: '127.0.0.1', port: 0 },
    admin: { host: '127.0.0.1', port: 0 },
    accessLog: { kind: 'off' },
    random: seedrandom('faultmesh-tests'),
    ...options,
  });
}

/**
 * Upstreams for `specs`, a mesh file naming them (plus `yamlTail`, appended
 * verbatim), and a proxy in front; `stop()` ends all of it.
 */
export async function startMeshFixture(specs: readonly InstanceSpec[], options: { extra?: Record<string, string>; yamlTail?: string; proxy?: Partial<ProxyOptions> } = {}) {
  const dir = tempDir();
  const upstreams = await startUpstreams(specs);
  const meshFile = dir.file('mesh.yaml', meshYaml(specs, upstreams, options.extra) + (options.yamlTail ?? ''));
  const proxy = await startTestProxy(meshFile, options.proxy);
  return {
    dir,
    upstreams,
    meshFile,
    proxy,
    async stop() {
      await proxy.close(1000);
      for (const u of upstreams.values()) await u.close();
      dir.remove();
    },
  };
}

export type MeshFixture = Awaited<ReturnType<typeof startMeshFixture>>;
