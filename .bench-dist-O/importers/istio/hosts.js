import { serviceNameSchema } from '../../proxy/config/mesh-schema.js';
const CLUSTER_HOST = /^([a-z0-9]([a-z0-9-]*[a-z0-9])?)\.([a-z0-9]([a-z0-9-]*[a-z0-9])?)\.svc(\.[a-z0-9.-]+)?$/;
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;
/**
 * The faultmesh service an Istio host names. A proxy finds a service by the
 * Host header, so the name is what callers put there:
 * - a short name (`reviews`) is that name: Istio reads it in the rule's
 *   namespace, which faultmesh has no notion of;
 * - a Kubernetes name (`reviews.prod.svc`, `reviews.prod.svc.cluster.local`,
 *   any cluster domain) is its first label, `reviews`;
 * - with `namespaced`, both are `reviews.prod`, so two namespaces' reviews
 *   stay apart;
 * - any other name (`api.example.com`, a ServiceEntry's) is kept whole;
 * - wildcards and IP addresses name no one service, and are refused.
 *
 * @example serviceOfHost('reviews.default.svc.cluster.local', { namespace: 'x', namespaced: false }) // { ok: true, service: 'reviews', namespace: 'default' }
 */
export function serviceOfHost(host, ctx) {
    const h = host.trim().toLowerCase().replace(/\.$/, '');
    if (h === '*' || h.startsWith('*.')) {
        return { ok: false, message: `"${host}" is a wildcard: a faultmesh service is one exact name (the Host callers send), so write one VirtualService per service` };
    }
    if (IPV4.test(h) || h.includes(':'))
        return { ok: false, message: `"${host}" is an address: faultmesh names services, not addresses; use the service's name` };
    const cluster = CLUSTER_HOST.exec(h);
    const [service, namespace] = cluster ? [cluster[1], cluster[3]] : h.includes('.') ? [h, undefined] : [h, ctx.namespace];
    const name = ctx.namespaced && namespace !== undefined ? `${service}.${namespace}` : service;
    const checked = serviceNameSchema.safeParse(name);
    if (!checked.success)
        return { ok: false, message: `"${host}" makes no faultmesh service name: ${checked.error.issues[0]?.message ?? 'invalid'}` };
    const claimed = namespace === undefined || ctx.namespaced ? undefined : ctx.claims?.get(name);
    if (claimed !== undefined && claimed !== namespace) {
        return { ok: false, message: `"${host}" (namespace ${namespace}) and a host of namespace ${claimed} would both be service ${name}: give --namespaced to name services name.namespace` };
    }
    if (namespace !== undefined && !ctx.namespaced)
        ctx.claims?.set(name, namespace);
    return namespace === undefined ? { ok: true, service: name } : { ok: true, service: name, namespace };
}
//# sourceMappingURL=hosts.js.map