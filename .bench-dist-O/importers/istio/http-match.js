import { Fields } from './fields.js';
import { headerExact, methodsOf, readStringMatch, uriGlob } from './string-match.js';
const IGNORED_HEADERS = new Set(['uri', 'scheme', 'method', 'authority']);
/**
 * Reads one HTTPMatchRequest. A condition faultmesh cannot express leaves
 * the whole block out (reported per field): dropping only the condition would
 * widen the block, and a fault would then hit requests Istio spares.
 * Returns undefined for a block left out. `sourceLabels` (app only) is read
 * as `sources`, which fault rules have and routes do not (see routesOf).
 */
export function readMatchBlock(value, path, findings) {
    const f = Fields.of(value, path, findings, 'HTTPMatchRequest');
    if (!f)
        return undefined;
    const leftOut = 'this match block is left out, so the route (and its fault) does not apply to the requests it names';
    let dropped = false;
    const drop = (at, why, atKey = false) => {
        dropped = true;
        findings.untranslated(at, `${why}; ${leftOut}`, atKey);
    };
    const out = {};
    f.accept('name');
    const uri = f.has('uri') ? readStringMatch(f.raw('uri'), f.at('uri'), findings) : undefined;
    const ignoreCase = f.boolean('ignoreUriCase') === true;
    if (uri) {
        const glob = uriGlob(uri);
        if (!glob.ok)
            drop(f.at('uri'), glob.message);
        else if (ignoreCase && uri.kind !== 'regex' && /[A-Za-z]/.test(glob.value))
            drop(f.at('ignoreUriCase'), 'faultmesh path globs are case-sensitive, so ignoreUriCase has no equivalent; list each spelling as its own match block');
        else
            out.path = glob.value;
    }
    const method = f.has('method') ? readStringMatch(f.raw('method'), f.at('method'), findings) : undefined;
    if (method) {
        const methods = methodsOf(method);
        if (methods.ok)
            out.methods = methods.value;
        else
            drop(f.at('method'), methods.message);
    }
    const headers = f.object('headers', 'headers');
    if (headers) {
        const exact = {};
        for (const name of Object.keys(headers.value)) {
            const m = readStringMatch(headers.raw(name), headers.at(name), findings);
            if (!m)
                continue;
            if (IGNORED_HEADERS.has(name.toLowerCase())) {
                findings.caveat(headers.at(name), `Istio ignores a header match named "${name}" (use the ${name} field); so does this translation`);
                continue;
            }
            const value = headerExact(m);
            if (value.ok)
                exact[name.toLowerCase()] = value.value;
            else
                drop(headers.at(name), value.message);
        }
        if (Object.keys(exact).length)
            out.headers = exact;
    }
    const sourceLabels = f.strings('sourceLabels');
    if (sourceLabels) {
        const { app, ...others } = sourceLabels;
        if (Object.keys(others).length)
            drop(f.at('sourceLabels'), `faultmesh knows a caller by its service name only, not by labels ${Object.keys(others).join(', ')}`, true);
        else if (app !== undefined) {
            out.sources = [app];
            findings.caveat(f.at('sourceLabels'), `sourceLabels app: ${app} is read as the calling service "${app}" (faultmesh's sources: the caller's --service or x-faultmesh-source)`);
        }
    }
    const gateways = f.list('gateways');
    if (gateways && !gateways.includes('mesh')) {
        dropped = true;
        findings.caveat(f.at('gateways'), `this match block applies only at gateways (${gateways.join(', ')}), not between services; faultmesh has no gateways, so it is left out, as Istio leaves it out of the mesh`);
    }
    if (f.has('port')) {
        f.accept('port');
        findings.caveat(f.at('port'), 'faultmesh instances have one address each, so this block matches requests whatever the port');
    }
    if (f.has('statPrefix')) {
        f.accept('statPrefix');
        findings.caveat(f.at('statPrefix'), "faultmesh's metrics are labelled by service and route, with no stat prefix; left out");
    }
    for (const [key, why] of Object.entries(UNTRANSLATED_MATCH)) {
        if (!f.has(key))
            continue;
        f.accept(key);
        drop(f.at(key), why, true);
    }
    f.finish();
    return dropped ? undefined : out;
}
const UNTRANSLATED_MATCH = {
    scheme: 'faultmesh proxies plain HTTP between services and cannot match the scheme',
    authority: 'faultmesh picks the service by the Host header, so a route cannot match it again',
    queryParams: 'faultmesh matches the path without its query string',
    withoutHeaders: 'faultmesh has no negative header match',
    sourceNamespace: 'faultmesh has no namespaces to match the caller by',
};
/**
 * True when no request can satisfy both blocks: they name the same header,
 * or the method, with different values, or paths that cannot both hold.
 * Used to warn when Istio's first-match order cannot be kept (fault rules
 * have no "unless an earlier route matched").
 */
export function disjoint(a, b) {
    for (const [name, value] of Object.entries(a.headers ?? {}))
        if (b.headers?.[name] !== undefined && b.headers[name] !== value)
            return true;
    if (a.methods && b.methods && !a.methods.some((m) => b.methods.includes(m)))
        return true;
    if (a.sources && b.sources && !a.sources.some((s) => b.sources.includes(s)))
        return true;
    if (a.path && b.path)
        return pathsDisjoint(a.path, b.path);
    return false;
}
/** Two globs as exact paths or prefixes (a trailing `*`): disjoint when neither can start the other. */
function pathsDisjoint(a, b) {
    const literal = (g) => g.replace(/\*$/, '');
    const isPrefix = (g) => g.endsWith('*') && !g.slice(0, -1).includes('*') && !g.includes('?');
    const isExact = (g) => !/[*?]/.test(g);
    if (!(isPrefix(a) || isExact(a)) || !(isPrefix(b) || isExact(b)))
        return false;
    if (isExact(a) && isExact(b))
        return a !== b;
    if (isExact(a))
        return !a.startsWith(literal(b));
    if (isExact(b))
        return !b.startsWith(literal(a));
    return !literal(a).startsWith(literal(b)) && !literal(b).startsWith(literal(a));
}
/** True for a block that matches every request (no block at all, or an empty one). */
export const matchesAll = (m) => !m.path && !m.methods && !m.headers && !m.sources;
//# sourceMappingURL=http-match.js.map