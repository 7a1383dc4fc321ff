export const newHealth = () => ({
    state: 'healthy',
    ejectedUntil: 0,
    ejections: 0,
    returnedAt: 0,
    consecutive5xx: 0,
    consecutiveGateway: 0,
    consecutiveSlow: 0,
    ewmaMs: 0,
    ewmaAt: -1,
});
export function toEndpoint(service, inst, live) {
    return {
        service,
        id: inst.id,
        address: inst.address.text,
        region: inst.region,
        zone: inst.zone,
        labels: inst.labels,
        target: toTarget(inst.address),
        load: live?.load ?? { active: 0, requests: 0, failures: 0 },
        health: live?.health ?? newHealth(),
    };
}
function toTarget(address) {
    return { protocol: 'http:', host: address.host, hostname: address.host, port: address.port, path: '' };
}
//# sourceMappingURL=endpoint.js.map