import { once } from 'node:events';
import { createInterface } from 'node:readline';
import express from 'express';
import { shopRoutes } from './routes.js';
const spec = JSON.parse(process.argv[2] ?? '{}');
let sidecar;
const listening = new Map();
const apps = new Map();
async function listen(id, app, host, port) {
    const server = app.listen(port, host);
    await once(server, 'listening');
    server.keepAliveTimeout = 30_000;
    listening.set(id, server);
    return server.address().port;
}
try {
    for (const inst of spec.instances) {
        const app = express();
        app.disable('x-powered-by');
        app.use(shopRoutes({ service: spec.service, id: inst.id, region: inst.region, zone: inst.zone, version: inst.version ?? 'v1', sidecar: () => sidecar }));
        const port = await listen(inst.id, app, inst.host, inst.port);
        apps.set(inst.id, { app, host: inst.host, port });
    }
}
catch (err) {
    process.stderr.write(`${spec.service}: cannot listen: ${err.message}\n`);
    process.exit(1);
}
const ports = Object.fromEntries([...apps].map(([id, a]) => [id, a.port]));
process.stdout.write(`${JSON.stringify({ service: spec.service, port: Object.values(ports)[0], ports })}\n`);
const reply = (body) => process.stdout.write(`${JSON.stringify(body)}\n`);
async function command(line) {
    let cmd;
    try {
        cmd = JSON.parse(line);
    }
    catch {
        return void reply({ error: `not a JSON command: ${line}` });
    }
    if (typeof cmd.sidecar === 'string') {
        sidecar = cmd.sidecar;
        return void reply({ sidecar });
    }
    const id = cmd.stop ?? cmd.start;
    const instance = id === undefined ? undefined : apps.get(id);
    if (!instance)
        return void reply({ error: `no instance ${String(id)} in ${spec.service}` });
    if (cmd.stop !== undefined) {
        const server = listening.get(cmd.stop);
        listening.delete(cmd.stop);
        server?.close();
        server?.closeAllConnections(); // the sidecars' pooled connections too: the instance is gone
        return void reply({ stopped: cmd.stop });
    }
    if (!listening.has(id))
        await listen(id, instance.app, instance.host, instance.port);
    reply({ started: id });
}
// Commands run one at a time, in order, so a stop then a start cannot cross.
let queue = Promise.resolve();
createInterface({ input: process.stdin }).on('line', (line) => {
    queue = queue.then(() => command(line)).catch((err) => void reply({ error: err.message }));
});
const stop = () => {
    for (const s of listening.values())
        s.close();
    for (const s of listening.values())
        s.closeAllConnections();
    process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
//# sourceMappingURL=shop-service.js.map