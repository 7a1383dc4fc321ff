import { scriptFor, startChild } from '../../demo/children.js';
import { startEtcd } from '../etcd-cluster.js';
const MESH = 'services:\n  bench:\n    instances:\n      - { id: bench-1, address: "127.0.0.1:9" }\n';
async function json(url, init) {
    const res = await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) });
    const text = await res.text();
    if (!res.ok)
        throw new Error(`${init?.method ?? 'GET'} ${url} answered ${res.status}: ${text.slice(0, 300)}`);
    return JSON.parse(text);
}
/**
 * A one-member etcd (the lease is etcd's whatever the cluster), `replicas`
 * `faultmesh control --store etcd://…` processes, and `proxies` proxies,
 * proxy i on replica i mod n first and the others after it, as a Service
 * would spread them. Resolves once every proxy applied the mesh.
 */
export async function startTrialDeployment(options) {
    const cli = scriptFor(new URL('../../cli/main', import.meta.url));
    let etcd;
    const children = [];
    const stop = async () => {
        await Promise.all(children.map((c) => c.stop()));
        await etcd?.stop();
    };
    try {
        etcd = await startEtcd();
        const store = ['--store', etcd.url, '--etcd-prefix', '/faultmesh/lease-trials/'];
        const controls = await Promise.all(Array.from({ length: options.replicas }, (_, r) => startChild(cli, ['control', '--listen', '127.0.0.1:0', ...store], { name: `control ${r}` })));
        children.push(...controls);
        const replicas = controls.map((c) => `http://127.0.0.1:${c.port}`);
        const { version } = (await json(`${replicas[0]}/v1/mesh`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: MESH, file: 'mesh.yaml' }) }));
        const order = (i) => replicas.map((_, k) => replicas[(i + k) % replicas.length]).join(',');
        const proxyArgs = (i) => ['proxy', '--control', order(i), '--service', 'caller', '--id', `trial-proxy-${i}`, '--listen', '127.0.0.1:0', '--admin', '127.0.0.1:0', '--access-log', 'off', '--drain', '1s'];
        const proxies = await Promise.all(Array.from({ length: options.proxies }, (_, i) => startChild(cli, proxyArgs(i), { name: `proxy ${i}` })));
        children.push(...proxies);
        const admins = proxies.map((p) => p.adminUrl);
        const deadline = Date.now() + 60_000;
        for (const admin of admins) {
            while ((await json(`${admin}/healthz`)).meshVersion !== version) {
                if (Date.now() > deadline)
                    throw new Error(`proxy ${admin} did not apply mesh version ${version} within 60 s`);
                await new Promise((r) => setTimeout(r, 50));
            }
        }
        return { replicas, proxies: admins, stop };
    }
    catch (err) {
        await stop();
        throw err;
    }
}
/** The fault ids each proxy lists now (GET /v1/faults on its admin). */
export async function faultsOn(admin) {
    const body = (await json(`${admin}/v1/faults`));
    return new Set(body.faults.map((f) => f.id));
}
//# sourceMappingURL=deployment.js.map