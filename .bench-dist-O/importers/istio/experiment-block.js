import { z } from 'zod';
import { faultParts, faultRules, mergeMatches, readFault, readMatchList } from './fault-block.js';
import { Findings } from './findings.js';
import { serviceOfHost } from './hosts.js';
/**
 * The `istio:` block of an experiment's fault provider: an Istio route's
 * `match` and `fault` as a VirtualService writes them, and the VirtualService
 * host they are for. The fields inside `match` and `fault` are Istio's and are
 * read by the translator (with their own messages), so here they are open.
 */
export const istioFaultBlockSchema = z.strictObject({
    /** The VirtualService host (`ratings`, `ratings.default.svc.cluster.local`); or give rule.target. */
    host: z.string().min(1, 'host names the service, as a VirtualService host does').optional(),
    /** http[].match: a list of match blocks, any of which may hold. */
    match: z.array(z.unknown(), { error: 'match is a list of match blocks, as in a VirtualService route' }).optional(),
    /** http[].fault: { delay: { fixedDelay, percentage }, abort: { httpStatus, percentage } }. */
    fault: z.record(z.string(), z.unknown(), { error: 'fault is a map: { delay: {...}, abort: {...} }, as in a VirtualService route' }),
});
const ACTIONS = ['abort', 'delay', 'reset', 'hang', 'throttle', 'percentage'];
/**
 * The one faultmesh rule (as a rules file writes it, without ttl) an Istio
 * fault block becomes, merged with the fields `rule` gives beside it
 * (target, id, seed, maxActive, phase, more match keys). Undefined when the
 * block cannot be one rule; every reason is reported at its field. A fault
 * activity holds one rule under the runner's lease, so a block that needs
 * several (independent delay and abort rolls, match blocks that do not merge)
 * is refused, with how to split it.
 */
export function ruleFromIstioBlock(block, rule, report) {
    let ok = true;
    const fail = (where, path, message) => {
        ok = false;
        where(path, message);
    };
    for (const key of ACTIONS)
        if (rule?.[key] !== undefined)
            fail(report.rule, [key], `the istio block gives the fault's actions and percentage; leave ${key} out of rule (or write the whole fault as rule)`);
    const target = targetOf(block, rule, fail, report);
    const findings = new Findings();
    const actions = readFault(block.fault, ['fault'], findings);
    const matches = readMatchList(block.match, ['match'], findings);
    for (const f of findings.list)
        if (f.kind !== 'caveat')
            fail(report.istio, f.path, f.kind === 'untranslated' ? `not translated: ${f.message}` : f.message);
    if (!actions || !matches || target === undefined || !ok)
        return undefined;
    if (faultParts(actions).length > 1) {
        fail(report.istio, ['fault'], 'Envoy rolls the delay and the abort apart, and one fault activity holds one faultmesh rule, which rolls once: give both a percentage of 100, or write two fault activities (one delay, one abort) and run the first with background: true');
    }
    if (matches.blocks.length > 0 && mergeMatches(matches.blocks.map((b) => b.match)).length > 1) {
        fail(report.istio, ['match'], 'these match blocks need a faultmesh rule each, and one fault activity holds one: write an activity per block (background: true runs them together), or one block');
    }
    const seen = findings.list.length;
    const rules = ok ? faultRules(actions, matches, { target, faultPath: ['fault'], matchPath: ['match'] }, findings) : [];
    for (const f of findings.list.slice(seen))
        if (f.kind === 'untranslated')
            fail(report.istio, f.path, `not translated: ${f.message}`);
    const [translated] = rules;
    if (!ok || !translated)
        return undefined;
    const ownMatch = (rule?.match ?? {});
    for (const key of Object.keys(translated.match ?? {}))
        if (ownMatch[key] !== undefined)
            fail(report.rule, ['match', key], `the istio match gives ${key} too; give it in one place`);
    if (!ok)
        return undefined;
    const { target: _target, match: _match, ...own } = rule ?? {};
    const match = { ...ownMatch, ...(translated.match ?? {}) };
    return { ...own, ...translated, target, ...(Object.keys(match).length ? { match } : {}) };
}
function targetOf(block, rule, fail, report) {
    const own = typeof rule?.target === 'string' ? rule.target : undefined;
    if (block.host === undefined) {
        if (own === undefined)
            fail(report.istio, ['host'], 'give host (the VirtualService host the fault is for), or rule.target');
        return own;
    }
    const s = serviceOfHost(block.host, { namespace: 'default', namespaced: false });
    if (!s.ok)
        return void fail(report.istio, ['host'], s.message);
    if (own !== undefined && own !== s.service)
        return void fail(report.rule, ['target'], `rule.target ${own} is not the service istio.host names (${s.service}); give one of them`);
    return s.service;
}
//# sourceMappingURL=experiment-block.js.map