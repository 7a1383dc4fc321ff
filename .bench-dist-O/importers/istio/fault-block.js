import { Fields } from './fields.js';
import { faultmeshDuration, parseIstioDuration } from './go-duration.js';
import { disjoint, matchesAll, readMatchBlock } from './http-match.js';
/** Reads an HTTPFaultInjection block; undefined when it gives no action that can be translated (each reason reported). */
export function readFault(value, path, findings) {
    const f = Fields.of(value, path, findings, 'HTTPFaultInjection');
    if (!f)
        return undefined;
    if (!f.has('delay') && !f.has('abort')) {
        findings.invalid(path, 'a fault needs delay, abort or both');
        f.finish();
        return undefined;
    }
    const delayFields = f.object('delay', 'HTTPFaultInjection.Delay');
    const abortFields = f.object('abort', 'HTTPFaultInjection.Abort');
    f.finish();
    const delay = delayFields && readDelay(delayFields);
    const abort = abortFields && readAbort(abortFields);
    if (!delay && !abort)
        return undefined;
    return { ...(delay ? { delay } : {}), ...(abort ? { abort } : {}) };
}
function readDelay(f) {
    const fixed = f.raw('fixedDelay');
    const percent = percentOf(f, true);
    if (f.has('exponentialDelay')) {
        f.accept('exponentialDelay');
        f.findings.untranslated(f.at('exponentialDelay'), 'faultmesh has no exponential delay; use fixedDelay, or write a faultmesh rule with delay: { mean, stddev }', true);
    }
    f.finish();
    if (fixed === undefined) {
        if (!f.has('exponentialDelay'))
            f.findings.invalid(f.path, 'a delay needs fixedDelay (2s, 500ms)');
        return undefined;
    }
    const d = parseIstioDuration(fixed);
    if (!d.ok)
        return void f.findings.invalid(f.at('fixedDelay'), d.message);
    if (d.ms < 1)
        return void f.findings.invalid(f.at('fixedDelay'), 'fixedDelay must be at least 1ms');
    return percent === undefined ? undefined : { ms: d.ms, percent };
}
function readAbort(f) {
    const status = f.number('httpStatus');
    const percent = percentOf(f, false);
    const grpc = f.has('grpcStatus') || f.has('http2Error');
    for (const [key, why] of Object.entries(ABORT_UNTRANSLATED)) {
        if (!f.has(key))
            continue;
        f.accept(key);
        f.findings.untranslated(f.at(key), why, true);
    }
    f.finish();
    if (status === undefined) {
        if (!grpc && !f.has('httpStatus'))
            f.findings.invalid(f.path, 'an abort needs httpStatus (a status from 200 to 599)');
        return undefined;
    }
    if (!Number.isInteger(status) || status < 200 || status > 599)
        return void f.findings.invalid(f.at('httpStatus'), 'httpStatus is a status from 200 to 599');
    return percent === undefined ? undefined : { status, percent };
}
const ABORT_UNTRANSLATED = {
    grpcStatus: 'faultmesh aborts with HTTP statuses only; use httpStatus (503 for UNAVAILABLE)',
    http2Error: 'faultmesh speaks HTTP/1.1 to callers and cannot send an HTTP/2 error; use httpStatus, or a faultmesh rule with reset: true',
    percent: "abort's percent is no longer an Istio field (Istio reads percentage only): write percentage: { value: N }",
};
/**
 * The share of requests an action applies to, 0 to 100: `percentage.value`,
 * else the deprecated integer `percent` (delays only). Neither means no
 * request (Istio injects nothing), so there is nothing to translate: said as such.
 */
function percentOf(f, legacy) {
    const pf = f.object('percentage', 'Percent');
    const value = pf?.number('value');
    pf?.finish();
    const old = legacy ? f.number('percent') : undefined;
    const nothing = 'Istio applies this action to no request, so there is nothing to translate; write percentage: { value: 100 } to apply it to every matching request';
    if (value !== undefined) {
        if (old !== undefined)
            f.findings.caveat(f.at('percent'), 'percentage is given too, and Istio reads that one; percent is ignored');
        return pct(f, [...f.at('percentage'), 'value'], value);
    }
    if (pf && !pf.has('value'))
        return void f.findings.untranslated(f.at('percentage'), `percentage has no value: ${nothing}`);
    if (pf)
        return undefined;
    if (old !== undefined) {
        f.findings.caveat(f.at('percent'), 'percent is deprecated in Istio; read as percentage: { value: N }');
        return pct(f, f.at('percent'), old);
    }
    return void f.findings.untranslated(f.path, `no percentage: ${nothing}`);
}
function pct(f, at, value) {
    if (value < 0 || value > 100)
        return void f.findings.invalid(at, 'a percentage is 0 to 100');
    return value;
}
const round = (n) => Math.round(n * 10_000) / 10_000;
/**
 * The fault rules that do what one Istio fault does to the requests its match
 * blocks name. Envoy rolls a delay and an abort independently; a faultmesh
 * rule rolls once, and the first rule that passes applies. So both actions
 * at once become up to three rules tried in order: both (d·a), delay alone
 * (d(1-a)/(1-d·a) of what is left), abort alone (a of what is left), which
 * gives each combination Envoy's odds exactly. The rules must be tried in
 * this order: ids end in a, b, c, which is the order a proxy (added in turn)
 * and a control plane (by id) both keep.
 */
export function faultParts(actions) {
    const { delay, abort } = actions;
    if (!delay)
        return [{ percentage: abort.percent, status: abort.status }];
    if (!abort)
        return [{ percentage: delay.percent, delayMs: delay.ms }];
    const d = delay.percent / 100;
    const a = abort.percent / 100;
    if (d === 1 && a === 1)
        return [{ percentage: 100, delayMs: delay.ms, status: abort.status }];
    const parts = [
        { percentage: round(d * a * 100), delayMs: delay.ms, status: abort.status },
        { percentage: round(((d * (1 - a)) / (1 - d * a)) * 100), delayMs: delay.ms },
        { percentage: d === 1 ? 0 : round(a * 100), status: abort.status },
    ];
    const rolled = parts.filter((p) => p.percentage > 0);
    // Both at 0%: Istio injects nothing; one rule at 0% says so (it counts what it matches, and hits nothing).
    return rolled.length ? rolled : [parts[0]];
}
/** Match blocks as few fault rule matches as possible: blocks that differ only in their paths, or only in their methods, are one. */
export function mergeMatches(blocks) {
    const groups = [];
    const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
    for (const block of blocks) {
        const m = {
            ...(block.path ? { paths: [block.path] } : {}),
            ...(block.methods ? { methods: [...block.methods] } : {}),
            ...(block.headers ? { headers: { ...block.headers } } : {}),
            ...(block.sources ? { sources: [...block.sources] } : {}),
        };
        const { paths, methods, ...rest } = m;
        if (groups.some((g) => same(g, m)))
            continue;
        const into = groups.find((g) => {
            const { paths: gp, methods: gm, ...grest } = g;
            if (!same(rest, grest))
                return false;
            if (paths && gp && same(methods ?? null, gm ?? null))
                return true;
            return methods !== undefined && gm !== undefined && same(paths ?? null, gp ?? null);
        });
        if (!into)
            groups.push(m);
        else if (paths && into.paths && same(methods ?? null, into.methods ?? null))
            into.paths = [...new Set([...into.paths, ...paths])];
        else
            into.methods = [...new Set([...into.methods, ...methods])];
    }
    return groups;
}
/**
 * An HTTPRoute's `match` list: undefined (reported) when it is not a list;
 * one empty block when absent (every request); else the blocks that translate.
 */
export function readMatchList(value, path, findings) {
    if (value === undefined || value === null || (Array.isArray(value) && value.length === 0))
        return { blocks: [{ match: {}, path }], dropped: 0, takesAll: true };
    if (!Array.isArray(value))
        return void findings.invalid(path, 'match is a list of match blocks, not a map');
    const blocks = value.flatMap((raw, i) => {
        const match = readMatchBlock(raw, [...path, i], findings);
        return match ? [{ match, path: [...path, i] }] : [];
    });
    return { blocks, dropped: value.length - blocks.length, takesAll: blocks.some((b) => matchesAll(b.match) || (b.match.path === '/*' && Object.keys(b.match).length === 1)) };
}
/**
 * One Istio route's fault as faultmesh rules (without ttl), from what was
 * read of it. Empty when nothing could be translated (the reasons are in
 * `findings`); never a rule wider than the route: a match block that cannot
 * be translated leaves the fault off the requests it names.
 */
export function faultRules(actions, matches, to, findings) {
    const blocks = matches.blocks.map((b) => b.match);
    if (blocks.length === 0) {
        findings.untranslated(to.faultPath, 'none of the match blocks of this route could be translated, so its fault is left out (it would otherwise hit every request)');
        return [];
    }
    const groups = mergeMatches(blocks);
    const parts = faultParts(actions);
    if (groups.length > 1 && parts.some((p) => p.percentage < 100) && blocks.some((a, i) => blocks.slice(i + 1).some((b) => !disjoint(a, b)))) {
        findings.caveat(to.matchPath, 'these match blocks became separate fault rules; a request that matches more than one is rolled once per rule, so it is hit more often than the percentage says');
    }
    const rules = [];
    groups.forEach((match, g) => {
        parts.forEach((part, p) => {
            const suffix = `${groups.length > 1 ? `-m${g}` : ''}${parts.length > 1 ? 'abc'[p] : ''}`;
            rules.push({
                ...(to.idPrefix || suffix ? { id: `${to.idPrefix ?? ''}${suffix}` } : {}),
                target: to.target,
                ...(Object.keys(match).length ? { match } : {}),
                percentage: part.percentage,
                ...(part.delayMs !== undefined ? { delay: { fixed: faultmeshDuration(part.delayMs) } } : {}),
                ...(part.status !== undefined ? { abort: { status: part.status } } : {}),
            });
        });
    });
    return rules;
}
/**
 * A fault block and its match list, read and translated in one go: the
 * shared translation behind `faults add` of a VirtualService and an
 * experiment's `istio:` block.
 */
export function translateFaultBlock(fault, match, to, findings) {
    const actions = readFault(fault, to.faultPath, findings);
    const blocks = readMatchList(match, to.matchPath, findings);
    return actions && blocks ? faultRules(actions, blocks, to, findings) : [];
}
//# sourceMappingURL=fault-block.js.map