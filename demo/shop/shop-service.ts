import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { shopRoutes } from './routes.js';

/**
 * One shop service in its own process, with one listener per instance.
 * Argument: JSON {service, sidecar, instances: [{id, host, port, region, zone}]}.
 * When every instance listens it prints one JSON line: {"port": first, "ports": {id: port}}.
 */
interface Spec {
  readonly service: string;
  readonly sidecar: string;
  readonly instances: ReadonlyArray<{ id: string; host: string; port: number; region: string; zone: string }>;
}

const spec = JSON.parse(process.argv[2] ?? '{}') as Spec;
const servers: Server[] = [];
const ports: Record<string, number> = {};
try {
  for (const inst of spec.instances) {
    const app = express();
    app.disable('x-powered-by');
    app.use(shopRoutes({ service: spec.service, id: inst.id, region: inst.region, zone: inst.zone, sidecar: spec.sidecar }));
    const server = app.listen(inst.port, inst.host);
    servers.push(server);
    await once(server, 'listening');
    server.keepAliveTimeout = 30_000;
    ports[inst.id] = (server.address() as AddressInfo).port;
  }
} catch (err) {
  process.stderr.write(`${spec.service}: cannot listen: ${(err as Error).message}\n`);
  process.exit(1);
}
process.stdout.write(`${JSON.stringify({ service: spec.service, port: Object.values(ports)[0], ports })}\n`);

const stop = () => {
  for (const s of servers) s.close();
  for (const s of servers) s.closeAllConnections();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
