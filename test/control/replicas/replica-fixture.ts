import type { FleetChild, Fleet } from '../../helpers/control-fleet.js';
import { healthOf } from '../../helpers/control-fleet.js';

/**
 * Control-plane replicas on one etcd, and proxies that know several of
 * them, as the replica tests start them. Other replica tests add their own
 * exports here; existing ones keep their meaning.
 */

/** Every key of a test's control planes goes under it. */
export const REPLICA_PREFIX = '/faultmesh/test/';

/** `faultmesh control` on a shared etcd; `port` 0 lets the OS pick, a killed replica's port brings it back where proxies look. */
export const replicaArgs = (storeUrl: string, port = 0, prefix = REPLICA_PREFIX): string[] => ['--listen', `127.0.0.1:${port}`, '--store', storeUrl, '--etcd-prefix', prefix];

/** A replica named `name`, started and listening. */
export const startReplica = (fleet: Fleet, storeUrl: string, name: string, port = 0): Promise<FleetChild> => fleet.control(replicaArgs(storeUrl, port), name);

/** A proxy of `service` given `--control` with these replica URLs, in this order (the first is the one it tries first). */
export const startReplicaProxy = (fleet: Fleet, controls: readonly string[], id: string, service = 'checkout'): Promise<FleetChild> =>
  fleet.proxy(['--control', controls.join(','), '--service', service, '--id', id], id);

/** The replica a proxy is on now, or undefined between streams (its /healthz `control`). */
export async function replicaOf(proxy: FleetChild): Promise<string | undefined> {
  const { control } = await healthOf(proxy);
  return control.connected ? control.url : undefined;
}
