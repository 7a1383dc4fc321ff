import { loadMeshFile } from '../proxy/config/load-mesh.js';
import { startEchoUpstream, type EchoUpstream } from './echo-upstream.js';

/**
 * Starts one example upstream on the address of every instance in a mesh
 * file, so the proxy has real services behind it. Fails whole: if one port is
 * taken, the ones already started are stopped again.
 */
export async function startExampleUpstreams(meshFile: string): Promise<EchoUpstream[]> {
  const mesh = loadMeshFile(meshFile);
  const started: EchoUpstream[] = [];
  try {
    for (const [service, config] of Object.entries(mesh.services)) {
      for (const inst of config.instances) {
        started.push(await startEchoUpstream({ service, instance: inst.id, region: inst.region, host: inst.address.host, port: inst.address.port }));
      }
    }
  } catch (err) {
    await Promise.all(started.map((u) => u.close()));
    throw err;
  }
  return started;
}
