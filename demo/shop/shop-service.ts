import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import express from 'express';
import { shopRoutes } from './routes.js';

/**
 * One shop service in its own process, with one listener per instance.
 * Argument: JSON {service, instances: [{id, host, port, region, zone, version}]}.
 * When every instance listens it prints one JSON line: {"port": first, "ports": {id: port}}.
 *
 * Then it takes commands on stdin, one JSON line each, and answers each on stdout:
 * - {"sidecar": URL}: where to call the other services (the sidecar starts
 *   after this process, since it registers these instances' ports) → {"sidecar": URL}
 * - {"stop": ID}: that instance stops listening, as if its host went down → {"stopped": ID}
 * - {"start": ID}: it listens again on the same port → {"started": ID}
 */
interface Spec {
  readonly service: string;
  readonly instances: ReadonlyArray<{ id: string; host: string; port: number; region: string; zone: string; version?: string }>;
}

const spec = JSON.parse(process.argv[2] ?? '{}') as Spec;
let sidecar: string | undefined;
const listening = new Map<string, Server>();
const apps = new Map<string, { app: express.Express; host: string; port: number }>();

async function listen(id: string, app: express.Express, host: string, port: number): Promise<number> {
  const server = app.listen(port, host);
  await once(server, 'listening');
  server.keepAliveTimeout = 30_000;
  listening.set(id, server);
  return (server.address() as AddressInfo).port;
}

try {
  for (const inst of spec.instances) {
    const app = express();
    app.disable('x-powered-by');
    app.use(shopRoutes({ service: spec.service, id: inst.id, region: inst.region, zone: inst.zone, version: inst.version ?? 'v1', sidecar: () => sidecar }));
    const port = await listen(inst.id, app, inst.host, inst.port);
    apps.set(inst.id, { app, host: inst.host, port });
  }
} catch (err) {
  process.stderr.write(`${spec.service}: cannot listen: ${(err as Error).message}\n`);
  process.exit(1);
}
const ports = Object.fromEntries([...apps].map(([id, a]) => [id, a.port]));
process.stdout.write(`${JSON.stringify({ service: spec.service, port: Object.values(ports)[0], ports })}\n`);

const reply = (body: unknown) => process.stdout.write(`${JSON.stringify(body)}\n`);

async function command(line: string): Promise<void> {
  let cmd: { sidecar?: string; stop?: string; start?: string };
  try {
    cmd = JSON.parse(line) as typeof cmd;
  } catch {
    return void reply({ error: `not a JSON command: ${line}` });
  }
  if (typeof cmd.sidecar === 'string') {
    sidecar = cmd.sidecar;
    return void reply({ sidecar });
  }
  const id = cmd.stop ?? cmd.start;
  const instance = id === undefined ? undefined : apps.get(id);
  if (!instance) return void reply({ error: `no instance ${String(id)} in ${spec.service}` });
  if (cmd.stop !== undefined) {
    const server = listening.get(cmd.stop);
    listening.delete(cmd.stop);
    server?.close();
    server?.closeAllConnections(); // the sidecars' pooled connections too: the instance is gone
    return void reply({ stopped: cmd.stop });
  }
  if (!listening.has(id!)) await listen(id!, instance.app, instance.host, instance.port);
  reply({ started: id });
}

// Commands run one at a time, in order, so a stop then a start cannot cross.
let queue = Promise.resolve();
createInterface({ input: process.stdin }).on('line', (line) => {
  queue = queue.then(() => command(line)).catch((err: unknown) => void reply({ error: (err as Error).message }));
});

const stop = () => {
  for (const s of listening.values()) s.close();
  for (const s of listening.values()) s.closeAllConnections();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
