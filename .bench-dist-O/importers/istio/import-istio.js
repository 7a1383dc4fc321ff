import { readDestinationRule } from './destination-rule.js';
import { Findings } from './findings.js';
import { API_VERSIONS, readResources } from './istio-files.js';
import { serviceOut } from './mesh-out.js';
import { readVirtualService } from './virtual-service.js';
/** What faultmesh can say about Istio kinds it does not translate. */
const OTHER_KINDS = {
    Gateway: 'faultmesh has no ingress gateways: callers reach services through their own sidecar proxy',
    ServiceEntry: 'declare the external service in the mesh file (services: NAME: instances: [...]) to route and fault it through faultmesh',
    Sidecar: 'a faultmesh sidecar reaches every service of its mesh; there is no egress scoping',
    EnvoyFilter: 'faultmesh is not Envoy: there is no filter chain to patch',
    WorkloadEntry: 'write the workload as an instance in the mesh file, or register it (faultmesh proxy --register)',
    WorkloadGroup: 'write the workloads as instances in the mesh file, or register them (faultmesh proxy --register)',
    AuthorizationPolicy: "use the mesh file's authorization: (allow rules by caller, method and path)",
    PeerAuthentication: "use the mesh file's tls: mutual and the inbound sidecar's --inbound-tls",
    RequestAuthentication: 'faultmesh does not check end-user tokens',
    Telemetry: "faultmesh's metrics and access log are always on",
};
/**
 * Reads Istio VirtualService and DestinationRule files and translates them
 * into faultmesh services (routes and policies) and fault rules. Never
 * throws for what the files hold: every problem is an issue placed in its
 * file, and the caller decides what stops it. DestinationRules are read
 * first, whatever the order of the files: routes need their subsets.
 *
 * @example importIstio(['virtual-service-ratings-test-abort.yaml'], { faultsOnly: true }).rules
 */
export function importIstio(files, options = {}) {
    const issues = { invalid: [], untranslated: [], caveat: [] };
    const claims = new Map();
    const hostsOf = (r) => ({ namespaced: options.namespaced === true, claims, namespace: r.namespace ?? options.namespace ?? 'default' });
    const translate = (r, read) => {
        const findings = new Findings();
        const out = read(findings);
        for (const f of findings.list)
            issues[f.kind].push(r.locate(f));
        return out;
    };
    const { virtualServices, destinationRules, leftOut } = classify(latestOf(files, issues, options.namespace ?? 'default'), issues, options);
    const drs = new Map();
    for (const r of destinationRules) {
        const rule = translate(r, (findings) => readDestinationRule(r.spec, ['spec'], findings, hostsOf(r)));
        if (rule)
            mergeRule(drs, r, rule, issues);
    }
    const subsets = (service, subset) => drs.get(service)?.rule.subsets.get(subset)?.labels;
    const vss = new Map();
    const rules = [];
    for (const r of virtualServices) {
        const parts = translate(r, (findings) => readVirtualService(r.spec, ['spec'], findings, { name: r.name, hosts: hostsOf(r), subsets, faultsOnly: options.faultsOnly === true }));
        for (const part of parts) {
            const first = vss.get(part.service);
            if (first) {
                const at = first.resource.locate({ path: [], message: '' });
                issues.untranslated.push(r.locate({ path: part.hostPath, message: `VirtualService ${first.resource.name} (${at.file}:${at.line}) already routes ${part.service}, and Istio gives a sidecar one VirtualService per host (the oldest); this one is left out for it` }));
                continue;
            }
            vss.set(part.service, { resource: r, part });
            rules.push(...part.rules.map(({ rule, path }) => {
                const at = r.locate({ path, message: '' });
                return { rule, from: `${at.file}:${at.line}`, virtualService: r.name };
            }));
        }
    }
    const services = new Map();
    for (const name of new Set([...vss.keys(), ...drs.keys()])) {
        const vs = vss.get(name);
        const dr = drs.get(name);
        const fromVs = vs && { part: vs.part, at: place(vs.resource), locate: (path) => vs.resource.locate({ path, message: '' }) };
        services.set(name, serviceOut(fromVs, dr && { rule: dr.rule, at: place(dr.resource) }));
    }
    return { services, rules, issues, read: { virtualServices: virtualServices.length, destinationRules: destinationRules.length + leftOut } };
}
const place = (r) => {
    const at = r.locate({ path: [], message: '' });
    return `${r.kind} ${r.name} (${at.file}:${at.line})`;
};
/** Several DestinationRules for one host: subsets are pooled; the first rule's policy holds, as for Istio's oldest. */
function mergeRule(drs, r, rule, issues) {
    const first = drs.get(rule.service);
    if (!first)
        return void drs.set(rule.service, { resource: r, rule });
    const subsets = new Map(first.rule.subsets);
    for (const [name, subset] of rule.subsets) {
        if (subsets.has(name))
            issues.untranslated.push(r.locate({ path: subset.path, message: `subset ${name} of ${rule.service} is already defined by DestinationRule ${first.resource.name}; that one is used` }));
        else
            subsets.set(name, subset);
    }
    if (Object.keys(rule.policy).length) {
        issues.untranslated.push(r.locate({ path: ['spec', 'trafficPolicy'], message: `DestinationRule ${first.resource.name} already sets the policy of ${rule.service}; Istio uses the first one, and so does this import` }));
    }
    drs.set(rule.service, { resource: first.resource, rule: { ...first.rule, subsets } });
}
/** Splits resources into the two kinds translated; every other one is named, with what to use instead. */
function classify(resources, issues, options) {
    const virtualServices = [];
    const destinationRules = [];
    let leftOut = 0;
    for (const r of resources) {
        const istio = r.apiVersion.startsWith('networking.istio.io/');
        const routing = istio && (r.kind === 'VirtualService' || r.kind === 'DestinationRule');
        if (routing && !API_VERSIONS.includes(r.apiVersion))
            issues.invalid.push(r.locate({ path: ['apiVersion'], message: `import reads ${API_VERSIONS.join(', ')}, not ${r.apiVersion}` }));
        else if (routing && !r.name)
            issues.invalid.push(r.locate({ path: ['metadata'], message: `a ${r.kind} needs metadata.name (kubectl would refuse it too)` }));
        else if (routing && r.kind === 'VirtualService')
            virtualServices.push(r);
        else if (routing && options.faultsOnly) {
            leftOut++;
            issues.caveat.push(r.locate({ path: ['kind'], message: `DestinationRule ${r.name} holds no faults, so faults add leaves it out (faultmesh import istio translates it)` }));
        }
        else if (routing)
            destinationRules.push(r);
        else if (!r.kind)
            issues.invalid.push(r.locate({ path: [], message: 'not a Kubernetes resource: it has no kind' }));
        else if (/\.istio\.io\//.test(r.apiVersion))
            issues.untranslated.push(r.locate({ path: ['kind'], message: `${r.kind} ${r.name}: ${OTHER_KINDS[r.kind] ?? 'import translates VirtualService and DestinationRule only'}; left out` }));
        else
            issues.caveat.push(r.locate({ path: ['kind'], message: `${r.kind} ${r.name} is not an Istio routing resource; skipped` }));
    }
    return { virtualServices, destinationRules, leftOut };
}
/**
 * The resources of every file, in order; one with the same kind, namespace
 * and name as an earlier one replaces it, as `kubectl apply` would (said as
 * a caveat). Problems of the files themselves are invalid.
 */
function latestOf(files, issues, namespace) {
    const byKey = new Map();
    const unnamed = [];
    for (const file of files) {
        const read = readResources(file);
        issues.invalid.push(...read.issues);
        for (const r of read.resources) {
            if (!r.name) {
                unnamed.push(r);
                continue;
            }
            // No namespace is kubectl's current one: the same resource as one that names it.
            const key = `${r.kind}/${r.namespace ?? namespace}/${r.name}`;
            const earlier = byKey.get(key);
            if (earlier) {
                const at = earlier.locate({ path: [], message: '' });
                issues.caveat.push(r.locate({ path: ['metadata', 'name'], message: `replaces ${r.kind} ${r.name} of ${at.file}:${at.line}, as kubectl apply would` }));
            }
            byKey.set(key, r);
        }
    }
    return [...byKey.values(), ...unnamed];
}
//# sourceMappingURL=import-istio.js.map