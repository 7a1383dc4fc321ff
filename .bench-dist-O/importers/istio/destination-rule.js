import { Fields } from './fields.js';
import { serviceOfHost } from './hosts.js';
import { readTrafficPolicy } from './traffic-policy.js';
/** Reads a DestinationRule's spec; undefined when its host names no faultmesh service (reported). */
export function readDestinationRule(spec, path, findings, hosts) {
    const f = Fields.of(spec, path, findings, 'DestinationRule');
    if (!f)
        return undefined;
    const host = f.string('host');
    const top = f.has('trafficPolicy') ? readTrafficPolicy(f.raw('trafficPolicy'), f.at('trafficPolicy'), findings) : {};
    const subsets = new Map();
    const subsetPolicies = [];
    (f.list('subsets') ?? []).forEach((raw, i) => {
        const s = Fields.of(raw, [...f.at('subsets'), i], findings, 'Subset');
        if (!s)
            return;
        const name = s.string('name');
        const labels = s.strings('labels') ?? {};
        const parts = s.has('trafficPolicy') ? readTrafficPolicy(s.raw('trafficPolicy'), s.at('trafficPolicy'), findings) : {};
        s.finish();
        if (name === undefined)
            return void findings.invalid(s.path, 'a subset needs a name');
        if (subsets.has(name))
            return void findings.invalid(s.at('name'), `subset "${name}" is defined twice`);
        subsets.set(name, { labels, path: s.path });
        subsetPolicies.push({ name, parts });
    });
    if (f.has('workloadSelector')) {
        f.accept('workloadSelector');
        findings.untranslated(f.at('workloadSelector'), 'this rule applies only to some callers; faultmesh policies apply to every caller of the service', true);
    }
    if (f.has('exportTo')) {
        f.accept('exportTo');
        findings.caveat(f.at('exportTo'), 'faultmesh has no namespaces: the rule applies to every caller');
    }
    f.finish();
    if (host === undefined)
        return void findings.invalid(path, 'a DestinationRule needs host');
    const service = serviceOfHost(host, hosts);
    if (!service.ok)
        return void findings.untranslated(f.at('host'), `${service.message}; this DestinationRule is left out`);
    return { service: service.service, hostPath: f.at('host'), subsets, policy: combine(top, subsetPolicies, findings) };
}
const KEYS = ['loadBalancer', 'outlierDetection', 'budgetPercent', 'tls'];
const FIELD_NAMES = { loadBalancer: 'loadBalancer', outlierDetection: 'outlierDetection', budgetPercent: 'retryBudget', tls: 'tls' };
/**
 * The service's one policy. faultmesh has one per service, not per subset:
 * a subset's setting is kept when every subset sets it alike (then it holds
 * for the whole service anyway); any other is named as left out.
 */
function combine(top, subsets, findings) {
    const out = { ...top };
    const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
    for (const key of KEYS) {
        const given = subsets.map((s) => s.parts[key]);
        const first = given[0];
        const alike = first !== undefined && given.every((g) => g !== undefined && same(g.value, first.value));
        if (alike && (top[key] === undefined || same(top[key].value, first.value))) {
            if (top[key] === undefined)
                findings.caveat(first.path, `every subset sets ${FIELD_NAMES[key]} alike, so it is written as the service's policy`);
            out[key] = first;
            continue;
        }
        subsets.forEach((s) => {
            const part = s.parts[key];
            if (part === undefined || (top[key] !== undefined && same(top[key].value, part.value)))
                return;
            findings.untranslated(part.path, `faultmesh has one policy per service, not per subset: subset ${s.name} gets the service's ${FIELD_NAMES[key]}${top[key] ? '' : ' (the default)'}; set it in the DestinationRule's trafficPolicy to make it hold for every subset`);
        });
    }
    return out;
}
//# sourceMappingURL=destination-rule.js.map