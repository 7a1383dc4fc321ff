import { BoundedLabel } from '../telemetry/bounded-label.js';
/** The `source` label of a caller without a verified identity (a plaintext caller in permissive mode). */
export const UNAUTHENTICATED = 'unauthenticated';
/**
 * Caller identities per metrics registry, bounded like every source label:
 * identities come from certificates the mesh's CA signed, but a CA (or the
 * team's own root above it) may sign more names than a registry should
 * hold series for.
 */
const sourcesOf = new WeakMap();
/**
 * Counts one refused inbound call in faultmesh_authz_denied_total. Called
 * by the inbound side when its service's authorizer says no.
 *
 * @example if (!d.allowed) recordDenied(metrics, 'payments', peerService)
 */
export function recordDenied(metrics, service, source) {
    let sources = sourcesOf.get(metrics);
    if (!sources) {
        sources = new BoundedLabel(100);
        sourcesOf.set(metrics, sources);
    }
    metrics.authzDenied.labels(service, source === undefined ? UNAUTHENTICATED : sources.value(source)).inc();
}
//# sourceMappingURL=record-denied.js.map