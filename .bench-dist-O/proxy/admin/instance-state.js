import { currentEwma } from '../resilience/peak-ewma.js';
/** Every instance of the running mesh and whether it is ejected now, for the metrics gauge. */
export function* instanceStates(mesh) {
    for (const service of mesh.table().services.values()) {
        service.detector.epoch(); // ends ejections whose time is up
        for (const e of service.endpoints)
            yield { destination: service.name, instance: e.id, ejected: e.health.state === 'ejected' };
    }
}
/** One service as GET /v1/services shows it: policy summary and each instance's live state. */
/** `forwarder`: the proxy's --forwarder, which a service without its own `forwarder:` uses. */
export function describeService(service, now, forwarder = 'undici') {
    service.detector.epoch();
    const ejected = service.detector.ejectedCount();
    return {
        name: service.name,
        loadBalancer: service.policy.loadBalancer,
        forwarder: service.forwarder ?? forwarder,
        tls: service.config.tls ?? 'off',
        // As written (null: no policy, every caller passes), so an operator sees what the inbound sidecar enforces.
        authorization: service.config.authorization ?? null,
        ejected,
        instances: service.endpoints.map((e) => describeInstance(e, now)),
    };
}
function describeInstance(e, now) {
    const h = e.health;
    return {
        id: e.id,
        address: e.address,
        region: e.region ?? null,
        zone: e.zone ?? null,
        labels: e.labels,
        health: h.state,
        ejectedUntil: h.state === 'ejected' ? new Date(h.ejectedUntil).toISOString() : null,
        ejections: h.ejections,
        ewmaLatencyMs: h.ewmaAt < 0 ? null : Math.round(currentEwma(h, now) * 1000) / 1000,
        inFlight: e.load.active,
        requests: e.load.requests,
        failures: e.load.failures,
        consecutiveFailures: h.consecutive5xx,
    };
}
//# sourceMappingURL=instance-state.js.map