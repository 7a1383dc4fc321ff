import { startChild } from '../../demo/children.js';
import { startEtcd } from '../etcd-cluster.js';
import { benchMeshText, ControlApi } from './control-api.js';
import { startControl } from './control-process.js';
/**
 * Starts the control plane on `store`: one `faultmesh control` on memory;
 * on etcd, a real etcd (Debian's, on loopback, data dir on disk as in a
 * deployment) and `replicas` processes on it. Real proxy i connects to
 * replica i mod n, as a Service would spread them. The mesh is applied
 * through the first replica.
 */
export async function startDeployment(store, options) {
    let etcd;
    const controls = [];
    const apis = [];
    const proxies = [];
    const stop = async () => {
        await Promise.all(proxies.map((p) => p.stop()));
        await Promise.all(controls.map((c) => c.stop()));
        await Promise.all(apis.map((a) => a.close()));
        await etcd?.stop();
    };
    try {
        const n = store === 'memory' ? 1 : options.replicas;
        if (store === 'etcd')
            etcd = await startEtcd({ members: options.etcdMembers });
        const storeArgs = etcd ? ['--store', etcd.url, '--etcd-prefix', '/faultmesh/bench/'] : [];
        for (let r = 0; r < n; r++)
            controls.push(await startControl(options.cli, options.token, storeArgs));
        apis.push(...controls.map((c) => new ControlApi(c.url, options.token)));
        const { version } = await apis[0].call('PUT', '/v1/mesh', { text: benchMeshText(0), file: 'bench-mesh.yaml' });
        const realIds = Array.from({ length: options.proxyCount }, (_, i) => `real-${i}`);
        const proxyArgs = (id, i) => ['proxy', '--control', controls[i % n].url, '--control-token', options.token, '--service', 'bench', '--id', id, '--listen', '127.0.0.1:0', '--admin', '127.0.0.1:0', '--region', 'local', '--zone', 'local-a', '--access-log', 'off'];
        proxies.push(...(await Promise.all(realIds.map((id, i) => startChild(options.cli, proxyArgs(id, i), { name: id })))));
        const replicas = controls.map((c, r) => ({ url: c.url, pid: c.proc.pid, api: apis[r], realIds: realIds.filter((_, i) => i % n === r) }));
        return {
            store,
            label: etcd ? `etcd (${options.etcdMembers} member${options.etcdMembers > 1 ? 's' : ''}), ${n} replica${n > 1 ? 's' : ''}` : 'memory, 1 replica',
            replicas,
            proxyPids: proxies.map((p) => p.proc.pid),
            etcdPids: etcd ? etcd.members.map((m) => m.pid()) : [],
            meshVersion: version,
            stop,
        };
    }
    catch (err) {
        await stop();
        throw err;
    }
}
//# sourceMappingURL=deployment.js.map