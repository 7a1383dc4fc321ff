import { join } from 'node:path';
import { request } from 'undici';
import { callControl } from '../../control/control-client.js';
import { describeFailure, isOk } from '../../proxy/admin/admin-client.js';
import { scriptFor, startChild, STARTUP_TIMEOUT_MS, type Child } from '../children.js';
import { applyMesh, untilEveryTable } from './mesh-tables.js';
import { serviceCommands, type ServiceCommand } from './service-commands.js';
import { joinTokens, temporaryCaDir, SHOP_TRUST_DOMAIN, type ShopMtls } from './shop-mtls.js';
import { CONTROL_PORT, INSTANCES, PROXIES, REGISTER_TTL, type ProxyName, type ShopInstance, type ShopService } from './topology.js';

export { PROXIES, type ProxyName } from './topology.js';

export interface ShopOptions {
  /** The mesh file applied to the control plane (experiments/mesh.yaml): policies and routes. */
  readonly meshFile: string;
  /** Ports the OS picks (tests) instead of the fixed ones in topology.ts. */
  readonly ephemeralPorts: boolean;
  readonly log: (line: string) => void;
  /** Told the PID of every process started, as it starts. */
  readonly started?: (pid: number) => void;
  /** The instances to run and register (default: topology.ts's). */
  readonly instances?: readonly ShopInstance[];
  /** Where each proxy writes its access log, as `<proxy id>.log`; none: no access log. */
  readonly accessLogDir?: string;
}

export interface Shop {
  /** Where outside traffic enters: the ingress proxy. */
  readonly ingress: string;
  /** The control plane every proxy is connected to. */
  readonly control: string;
  readonly admins: Readonly<Record<ProxyName, string>>;
  readonly proxies: Readonly<Record<ProxyName, string>>;
  /** The mesh file applied to the control plane. */
  readonly meshFile: string;
  /**
   * Every instance, registered by its service's sidecar at `address`, the
   * sidecar's inbound listener for it (mTLS), which passes calls on to the
   * app at `app` (plain HTTP on loopback).
   */
  readonly instances: ReadonlyArray<{ readonly service: ShopService; readonly id: string; readonly address: string; readonly app: string; readonly region: string; readonly zone: string; readonly version: ShopInstance['version'] }>;
  /** The mesh CA's directory and trust domain. */
  readonly mtls: ShopMtls;
  /** The lease of each registration. */
  readonly registerTtl: string;
  /** Each proxy's access log file, when the shop was started with an access-log folder. */
  readonly accessLogs: Readonly<Record<ProxyName, string>> | undefined;
  readonly pids: readonly number[];
  /** Stops one instance listening; resolves, with the ms it took, once it has left every proxy's table (its lease ended). */
  stopInstance(id: string, signal?: AbortSignal): Promise<number>;
  /** Starts it again; resolves, with the ms it took, once it is back in every proxy's table. */
  startInstance(id: string, signal?: AbortSignal): Promise<number>;
  stop(): Promise<void>;
}

// From dist/ when the build is fresh, even when the demo itself runs from source: tsx compiling in each of ten children is most of their start-up.
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

/** Where each instance is registered (its inbound listener, the port the OS gave it resolved), by id. */
async function registeredAddresses(control: string): Promise<Map<string, string>> {
  const r = await callControl(control, 'GET', '/v1/registrations', undefined);
  if (!isOk(r)) throw new Error(`the control plane did not list its registrations: ${describeFailure(r)}`);
  return new Map((r.body.registrations as Array<{ id: string; address: string }>).map((x) => [x.id, x.address]));
}

const proxyId = (name: ProxyName) => (name === 'ingress' ? 'ingress' : `${name}-sidecar`);

/** Each proxy's access log in `dir`, named by its id (ingress.log, frontend-sidecar.log, ...). */
export const accessLogsIn = (dir: string) => Object.fromEntries(PROXIES.map((p) => [p.name, join(dir, `${proxyId(p.name)}.log`)])) as Record<ProxyName, string>;

/**
 * Starts the shop on a control plane: `faultmesh control` as the mesh CA,
 * the mesh file applied to it, a join token per proxy, each service in its
 * own process with its instances, then a proxy per service plus an
 * ingress, all on `--control`, each enrolling for its certificate and each
 * sidecar registering its service's instances under leases at inbound
 * listeners of its own (mTLS in, plain HTTP to the app), health-checking
 * the apps. The services learn their sidecar's URL last: it is known only
 * once the sidecar, which needs their ports, is up. If anything fails to
 * start, everything started so far is stopped (and a temporary CA
 * directory removed) and the error says what.
 */
export async function startShop(options: ShopOptions): Promise<Shop> {
  const children: Child[] = [];
  let controlChild: Child | undefined;
  const caDir = temporaryCaDir();
  const accessLogs = options.accessLogDir === undefined ? undefined : accessLogsIn(options.accessLogDir);
  const stop = async () => {
    // Proxies and services first: a sidecar that stops removes its registrations, so the control plane must still be there.
    await Promise.all(children.filter((c) => c !== controlChild).map((c) => c.stop()));
    await controlChild?.stop();
    caDir.remove();
  };
  try {
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
    const main = script('../../cli/main');
    // The mesh CA: a new root, made at start in the empty temporary directory.
    [controlChild] = await startAll([startChild(main, ['control', '--listen', `127.0.0.1:${port(CONTROL_PORT)}`, '--ca-dir', caDir.path, '--trust-domain', SHOP_TRUST_DOMAIN], { name: 'the control plane' })]);
    const control = `http://127.0.0.1:${controlChild!.port}`;
    const version = await applyMesh(control, options.meshFile);
    options.log(`control plane on ${control}: applied ${options.meshFile} as version ${version}`);
    options.log(`dashboard: ${control}/ui   (open it to watch the mesh, the faults in force and the runs live)`);
    const tokens = await joinTokens(control, PROXIES.map((p) => p.name));

    const layout = options.instances ?? INSTANCES;
    const serviceNames = [...new Set(layout.map((i) => i.service))];
    const serviceChildren = await startAll(
      serviceNames.map((service) => {
        const instances = layout.filter((i) => i.service === service).map((i) => ({ id: i.id, host: i.host, port: port(i.port), region: i.region, zone: i.zone, version: i.version }));
        return startChild(script('./shop-service'), [JSON.stringify({ service, instances })], { name: `the ${service} service`, stdin: true });
      }),
    );
    const ports = Object.assign({}, ...serviceChildren.map((c) => (JSON.parse(c.readyLine) as { ports: Record<string, number> }).ports)) as Record<string, number>;
    const apps = layout.map((i) => ({ ...i, app: `${i.host}:${ports[i.id]}` }));
    const commands = new Map(serviceNames.map((s, i) => [s, serviceCommands(serviceChildren[i]!, `the ${s} service`, STARTUP_TIMEOUT_MS)]));
    options.log(`started ${serviceNames.length} services, ${apps.length} instances: ${serviceNames.map((s) => `${s} x${apps.filter((i) => i.service === s).length}`).join(', ')}`);

    const proxyArgs = (p: (typeof PROXIES)[number]) => {
      const args = ['proxy', '--control', control, '--id', proxyId(p.name), '--service', p.name, '--listen', `127.0.0.1:${port(p.listen)}`, '--admin', `127.0.0.1:${port(p.admin)}`, '--access-log', accessLogs?.[p.name] ?? 'off'];
      const own = apps.filter((i) => i.service === p.name);
      if (own.length === 0) return args;
      // The version label is what the mesh's routes split on: v1 takes the traffic, v2 waits at weight 0 for a canary.
      // inbound=: the sidecar takes callers' mTLS for this app there, and registers that address (the app's own is for it alone).
      const register = (i: (typeof own)[number]) => `${i.id}=${i.app},region=${i.region},zone=${i.zone},label.version=${i.version},inbound=127.0.0.1:${port(i.inboundPort)}`;
      return [...args, ...own.flatMap((i) => ['--register', register(i)]), '--health-path', '/healthz', '--register-ttl', REGISTER_TTL];
    };
    // The token in the environment, not in argv, where any local user could read it; the proxy listens once it holds its certificate.
    const proxyChildren = await startAll(PROXIES.map((p) => startChild(main, proxyArgs(p), { name: `the ${p.name} proxy`, env: { FAULTMESH_JOIN_TOKEN: tokens[p.name] } })));
    const byName = Object.fromEntries(PROXIES.map((p, i) => [p.name, { url: `http://127.0.0.1:${proxyChildren[i]!.port}`, admin: proxyChildren[i]!.adminUrl! }])) as Record<ProxyName, { url: string; admin: string }>;
    const how = main.endsWith('.ts') ? 'from source through tsx (`npm run build` makes this faster)' : 'from built JavaScript';
    options.log(`started ${PROXIES.length} proxies on the control plane ${how}: ${PROXIES.map((p) => `${p.name} ${byName[p.name].url}`).join(', ')}`);

    await Promise.all(serviceNames.map((s) => commands.get(s)!({ sidecar: byName[s as ProxyName]?.url ?? byName.ingress.url })));
    const admins = Object.fromEntries(PROXIES.map((p) => [p.name, byName[p.name].admin])) as Record<ProxyName, string>;
    const key = (id: string) => `${apps.find((i) => i.id === id)?.service}/${id}`;
    await untilEveryTable(admins, (t) => apps.every((i) => t.has(key(i.id))), 'holds every registered instance', STARTUP_TIMEOUT_MS);
    await waitForFrontend(byName.ingress.url, Date.now() + STARTUP_TIMEOUT_MS);
    const inbound = await registeredAddresses(control);
    const instances = apps.map((i) => {
      const address = inbound.get(i.id);
      // Every table held it a moment ago; a registration gone since then means the instance is already failing its health check.
      if (address === undefined) throw new Error(`${i.id} is no longer registered on the control plane`);
      return { service: i.service, id: i.id, address, app: i.app, region: i.region, zone: i.zone, version: i.version };
    });

    const command = (id: string, c: ServiceCommand) => {
      const instance = instances.find((i) => i.id === id);
      if (!instance) throw new Error(`no instance "${id}" in the shop (${instances.map((i) => i.id).join(', ')})`);
      return commands.get(instance.service)!(c);
    };
    return {
      ingress: byName.ingress.url,
      control,
      admins,
      proxies: Object.fromEntries(PROXIES.map((p) => [p.name, byName[p.name].url])) as Record<ProxyName, string>,
      meshFile: options.meshFile,
      instances,
      registerTtl: REGISTER_TTL,
      accessLogs,
      mtls: { caDir: caDir.path, trustDomain: SHOP_TRUST_DOMAIN },
      pids: children.map((c) => c.proc.pid!),
      async stopInstance(id, signal) {
        await command(id, { stop: id });
        // A generous bound: the lease is 5 s, the rest is margin for a loaded machine.
        return untilEveryTable(admins, (t) => !t.has(key(id)), `is without ${id}`, STARTUP_TIMEOUT_MS, signal);
      },
      async startInstance(id, signal) {
        await command(id, { start: id });
        return untilEveryTable(admins, (t) => t.has(key(id)), `holds ${id} again`, STARTUP_TIMEOUT_MS, signal);
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
