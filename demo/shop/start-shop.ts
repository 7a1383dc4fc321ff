import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'undici';
import { parseDocument } from 'yaml';
import { loadMeshFile } from '../../proxy/config/load-mesh.js';
import { scriptFor, startChild, STARTUP_TIMEOUT_MS, type Child } from '../children.js';

/** The proxies of the shop: an ingress for outside traffic, and one sidecar per service. */
export const PROXIES = [
  { name: 'ingress', listen: 15001, admin: 15000 },
  { name: 'frontend', listen: 15011, admin: 15010 },
  { name: 'catalog', listen: 15021, admin: 15020 },
  { name: 'checkout', listen: 15031, admin: 15030 },
  { name: 'payments', listen: 15041, admin: 15040 },
] as const;

export type ProxyName = (typeof PROXIES)[number]['name'];

export interface ShopOptions {
  /** The mesh file every sidecar reads (experiments/mesh.yaml). */
  readonly meshFile: string;
  /** Ports the OS picks (tests) instead of the mesh file's; the mesh is then rewritten into `workDir`. */
  readonly ephemeralPorts: boolean;
  readonly workDir: string;
  readonly log: (line: string) => void;
  /** Told the PID of every process started, as it starts. */
  readonly started?: (pid: number) => void;
}

export interface Shop {
  /** Where outside traffic enters: the ingress proxy. */
  readonly ingress: string;
  readonly admins: Readonly<Record<ProxyName, string>>;
  readonly proxies: Readonly<Record<ProxyName, string>>;
  /** The mesh file the sidecars read. */
  readonly meshFile: string;
  readonly pids: readonly number[];
  stop(): Promise<void>;
}

// From dist/ when the build is fresh, even when the demo itself runs from source: tsx compiling in each of nine children is most of their start-up.
const script = (rel: string) => scriptFor(new URL(rel, import.meta.url));

/** Waits until the frontend answers through the ingress: the whole chain is up. */
async function waitForFrontend(ingress: string, deadline: number): Promise<void> {
  let last = '';
  while (Date.now() < deadline) {
    try {
      const res = await request(new URL('/healthz', ingress), { headers: { host: 'frontend' }, headersTimeout: 1000, bodyTimeout: 1000 });
      await res.body.dump();
      if (res.statusCode === 200) return;
      last = `status ${res.statusCode}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the frontend did not answer through the ingress within ${STARTUP_TIMEOUT_MS / 1000}s (${last})`);
}

/**
 * Starts the shop: a proxy per service plus an ingress, and each service in
 * its own process with its instances. If anything fails to start (a port
 * taken, a service that never answers), everything started so far is
 * stopped and the error says what.
 */
export async function startShop(options: ShopOptions): Promise<Shop> {
  const mesh = loadMeshFile(options.meshFile);
  const children: Child[] = [];
  const stop = async () => {
    await Promise.all(children.map((c) => c.stop()));
  };
  try {
    // Ephemeral ports: the sidecars start on a copy of the mesh, and reload it once the services' ports are known.
    const meshFile = options.ephemeralPorts ? join(options.workDir, 'mesh.yaml') : options.meshFile;
    if (options.ephemeralPorts) writeFileSync(meshFile, readFileSync(options.meshFile, 'utf8'));
    const port = (p: number) => (options.ephemeralPorts ? 0 : p);
    /** Starts children side by side; every one that started is kept for stop(), even when another failed. */
    const startAll = async (starts: Array<Promise<Child>>): Promise<Child[]> => {
      const settled = await Promise.allSettled(starts);
      for (const r of settled) {
        if (r.status !== 'fulfilled') continue;
        children.push(r.value);
        options.started?.(r.value.proc.pid!);
      }
      const failure = settled.find((r) => r.status === 'rejected');
      if (failure) throw (failure as PromiseRejectedResult).reason;
      return settled.map((r) => (r as PromiseFulfilledResult<Child>).value);
    };
    const proxyChildren = await startAll(
      PROXIES.map((p) => startChild(script('../../cli/main'), ['proxy', '--mesh', meshFile, '--listen', `127.0.0.1:${port(p.listen)}`, '--admin', `127.0.0.1:${port(p.admin)}`, '--service', p.name, '--access-log', 'off'], { name: `the ${p.name} proxy` })),
    );
    const proxies = PROXIES.map((p, i) => [p.name, { url: `http://127.0.0.1:${proxyChildren[i]!.port}`, admin: proxyChildren[i]!.adminUrl! }] as const);
    const byName = Object.fromEntries(proxies) as Record<ProxyName, { url: string; admin: string }>;
    const how = script('../../cli/main').endsWith('.ts') ? 'from source through tsx (`npm run build` makes this faster)' : 'from built JavaScript';
    options.log(`started ${PROXIES.length} proxies ${how}: ${PROXIES.map((p) => `${p.name} ${byName[p.name].url}`).join(', ')}`);

    const serviceChildren = await startAll(
      Object.entries(mesh.services).map(([service, config]) => {
        const instances = config.instances.map((i) => ({ id: i.id, host: i.address.host, port: port(i.address.port), region: i.region ?? 'none', zone: i.zone ?? 'none' }));
        return startChild(script('./shop-service'), [JSON.stringify({ service, sidecar: byName[service as ProxyName]?.url ?? byName.ingress.url, instances })], { name: `the ${service} service` });
      }),
    );
    const services = serviceChildren.map((c) => JSON.parse(c.readyLine) as { service: string; ports: Record<string, number> });
    options.log(`started ${services.length} services, ${services.reduce((n, s) => n + Object.keys(s.ports).length, 0)} instances: ${services.map((s) => `${s.service} x${Object.keys(s.ports).length}`).join(', ')}`);

    if (options.ephemeralPorts) {
      const doc = parseDocument(readFileSync(meshFile, 'utf8'));
      for (const s of services) {
        mesh.services[s.service]!.instances.forEach((inst, i) => doc.setIn(['services', s.service, 'instances', i, 'address'], `127.0.0.1:${s.ports[inst.id]}`));
      }
      writeFileSync(meshFile, doc.toString());
      for (const p of Object.values(byName)) {
        const res = await request(new URL('/v1/reload', p.admin), { method: 'POST' });
        const text = await res.body.text();
        if (res.statusCode !== 200) throw new Error(`a proxy refused the rewritten mesh file: ${text}`);
      }
    }
    await waitForFrontend(byName.ingress.url, Date.now() + STARTUP_TIMEOUT_MS);
    return {
      ingress: byName.ingress.url,
      admins: Object.fromEntries(PROXIES.map((p) => [p.name, byName[p.name].admin])) as Record<ProxyName, string>,
      proxies: Object.fromEntries(PROXIES.map((p) => [p.name, byName[p.name].url])) as Record<ProxyName, string>,
      meshFile,
      pids: children.map((c) => c.proc.pid!),
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
