import { Counter, Registry } from 'prom-client';
/**
 * The control plane's own metrics, declared in one place, served after the
 * proxies' families on GET /metrics. Labels stay low: services are the ones
 * join tokens allow, refusal reasons a fixed list of codes.
 */
export function createControlMetrics() {
    const registry = new Registry();
    const certificatesIssued = new Counter({
        name: 'faultmesh_control_certificates_issued_total',
        help: "Identity certificates the control plane's CA signed, by service.",
        labelNames: ['service'],
        registers: [registry],
    });
    const certificatesRefused = new Counter({
        name: 'faultmesh_control_certificates_refused_total',
        help: 'Certificate requests refused, by reason (TOKEN_UNKNOWN, TOKEN_REVOKED, TOKEN_EXPIRED, SERVICE_NOT_ALLOWED, CSR_INVALID, CA_EXPIRED, NO_CA).',
        labelNames: ['reason'],
        registers: [registry],
    });
    return { registry, certificatesIssued, certificatesRefused };
}
//# sourceMappingURL=control-metrics.js.map