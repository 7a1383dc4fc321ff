import { ConfigError, explainIssues, formatPath } from '../../proxy/config/config-error.js';
import { faultRuleListSchema } from '../../proxy/faults/fault-rule-schema.js';
import { importIstio } from './import-istio.js';
import { readResources } from './istio-files.js';
import { ruleIdStem } from './virtual-service.js';
/** True when the text holds an Istio resource (an `*.istio.io/` apiVersion): `faults add` then reads its VirtualServices' faults. */
export function isIstioText(file, text) {
    return readResources(file, text).resources.some((r) => /\.istio\.io\//.test(r.apiVersion));
}
/**
 * The mark `faults add` gives the rules of a VirtualService, so that adding
 * one of the same name again replaces exactly those (as kubectl apply would).
 */
export const istioOrigin = (virtualService) => `VirtualService/${virtualService}`;
/** Why a file gives no fault rule, in its own terms. */
function nothingToAdd(read) {
    if (read.virtualServices === 0) {
        const only = read.destinationRules === 0 ? '' : read.destinationRules === 1 ? ', only a DestinationRule: a DestinationRule has no faults' : ', only DestinationRules: a DestinationRule has no faults';
        return `holds no VirtualService${only}, so there is nothing to add (faultmesh import istio translates DestinationRules into a mesh file)`;
    }
    return `no route of ${read.virtualServices === 1 ? 'its VirtualService' : 'its VirtualServices'} has a fault, so there is nothing to add (faultmesh import istio translates routes and policies)`;
}
/**
 * The fault rules of a file's VirtualServices (Bookinfo's fault-injection
 * files as they are), each leased for `ttl`, for `faults add`. Strict, as
 * faults go into live traffic: anything invalid or not translated throws a
 * ConfigError listing it all, placed in the file; the notes (translated,
 * with a difference worth knowing) come back to be printed. Each rule
 * carries its VirtualService's mark (`origins`: mark → the id prefix its
 * rules share), by which a later `faults add` replaces them.
 *
 * @example faultRulesFromIstio('virtual-service-ratings-test-abort.yaml', '10m').rules[0] // { id: 'ratings-0', target: 'ratings', ..., origin: 'VirtualService/ratings' }
 */
export function faultRulesFromIstio(file, ttl) {
    const result = importIstio([file], { faultsOnly: true });
    const refused = [...result.issues.invalid, ...result.issues.untranslated.map((i) => ({ ...i, message: `not translated: ${i.message}` }))];
    if (refused.length)
        throw new ConfigError(refused);
    if (result.rules.length === 0)
        throw new ConfigError([{ file, line: 1, column: 1, field: '', message: nothingToAdd(result.read) }]);
    const rules = result.rules.map(({ rule, virtualService }) => ({ ...rule, ttl, origin: istioOrigin(virtualService) }));
    const checked = faultRuleListSchema.safeParse(rules);
    if (!checked.success) {
        throw new ConfigError(explainIssues(checked.error.issues, rules).map((i) => ({ file, line: 0, column: 0, field: formatPath(i.path), message: `the translated rule is refused: ${i.message}` })));
    }
    // Each VirtualService's mark, with the id prefix its rules share.
    const origins = new Map(result.rules.map(({ virtualService }) => [istioOrigin(virtualService), `${ruleIdStem(virtualService)}-`]));
    return { rules, origins, notes: result.issues.caveat };
}
//# sourceMappingURL=faults-from-istio.js.map