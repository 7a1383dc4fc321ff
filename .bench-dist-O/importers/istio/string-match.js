import { Fields } from './fields.js';
/** The methods faultmesh's routes and fault rules both take. */
export const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE'];
/** Reads a StringMatch; `{}` (a header's presence) is `present`. Undefined, with the reason reported, when it is not one. */
export function readStringMatch(value, path, findings) {
    const f = Fields.of(value, path, findings, 'StringMatch');
    if (!f)
        return undefined;
    const given = ['exact', 'prefix', 'regex'].filter((k) => f.has(k));
    const values = given.map((k) => f.string(k));
    f.finish();
    if (given.length > 1)
        return void findings.invalid(path, `a StringMatch is one of exact, prefix or regex, not ${given.join(' and ')}`);
    if (given.length === 0)
        return Object.keys(f.value).length === 0 ? { kind: 'present' } : undefined;
    return values[0] === undefined ? undefined : { kind: given[0], value: values[0] };
}
const ok = (value) => ({ ok: true, value });
const no = (message) => ({ ok: false, message });
/**
 * A URI match as a faultmesh path glob (`*` within a segment, `**` across, a
 * trailing `*` for the rest of the path). Prefix `/ratings` is `/ratings*`;
 * a regex translates when it is literal text with `.*` (any run) and
 * `[^/]*` or `[^/]+` (within a segment) not at its end.
 */
export function uriGlob(m) {
    if (m.kind === 'present')
        return no('an empty uri match names no path');
    if (m.kind === 'regex') {
        const glob = regexToGlob(m.value);
        if (!glob.ok)
            return glob;
        return glob.value.startsWith('/') ? glob : no(`regex "${m.value}" does not start with "/", and faultmesh path globs must: write match.path by hand`);
    }
    if (/[*?]/.test(m.value))
        return no(`"${m.value}" holds * or ?, which a faultmesh path glob reads as wildcards and cannot escape`);
    if (!m.value.startsWith('/'))
        return no(`"${m.value}" does not start with "/": faultmesh matches the request path, which always does`);
    return ok(m.kind === 'exact' ? m.value : `${m.value}*`);
}
/** A header match as the exact value faultmesh compares (its only header match); a regex of plain text counts. */
export function headerExact(m) {
    if (m.kind === 'exact')
        return ok(m.value);
    if (m.kind === 'present')
        return no('faultmesh matches headers by exact value only, not by presence; match one value, or aim the route or fault another way');
    if (m.kind === 'regex') {
        const literal = regexLiteral(m.value);
        if (literal !== undefined)
            return ok(literal);
    }
    return no(`faultmesh matches headers by exact value only: ${m.kind} "${m.value}" has no equivalent; list the exact values as separate match blocks`);
}
/** A method match as the methods it admits: exact, a prefix (`P`: POST, PUT, PATCH), or a regex alternation (`GET|HEAD`). */
export function methodsOf(m) {
    const known = (x) => METHODS.includes(x);
    if (m.kind === 'present')
        return no('an empty method match names no method');
    if (m.kind === 'exact')
        return known(m.value) ? ok([m.value]) : no(`"${m.value}" is not a method faultmesh routes (${METHODS.join(', ')}; Istio compares case-sensitively)`);
    if (m.kind === 'prefix') {
        const methods = METHODS.filter((x) => x.startsWith(m.value));
        return methods.length ? ok(methods) : no(`no method faultmesh routes starts with "${m.value}"`);
    }
    const body = m.value.replace(/^\^/, '').replace(/\$$/, '').replace(/^\((\?:)?(.*)\)$/, '$2');
    const methods = body.split('|');
    return methods.every(known) ? ok(methods) : no(`regex "${m.value}" is not a list of methods (GET|HEAD); write the methods as separate match blocks`);
}
const META = new Set([...'.^$*+?()[]{}|\\']);
/** Regex text that is only literal characters (escapes of punctuation included), as that text; else undefined. */
export function regexLiteral(regex) {
    const body = regex.replace(/^\^/, '').replace(/(?<!\\)\$$/, '');
    let out = '';
    for (let i = 0; i < body.length; i++) {
        const c = body[i];
        if (c === '\\') {
            const next = body[++i];
            if (next === undefined || /[A-Za-z0-9]/.test(next))
                return undefined;
            out += next;
        }
        else if (META.has(c))
            return undefined;
        else
            out += c;
    }
    return out;
}
function regexToGlob(regex) {
    const refuse = no(`regex "${regex}" has no faultmesh glob equivalent (globs know literal text, * within a segment and ** across): write match.path as a glob by hand`);
    const body = regex.replace(/^\^/, '').replace(/(?<!\\)\$$/, '');
    let out = '';
    for (let i = 0; i < body.length; i++) {
        const rest = body.slice(i);
        const c = body[i];
        if (rest.startsWith('.*')) {
            out += '**';
            i += 1;
        }
        else if (rest.startsWith('[^/]*') || rest.startsWith('[^/]+')) {
            // A trailing * in a glob matches across segments, so a last segment wildcard cannot be said exactly.
            if (i + 5 >= body.length)
                return refuse;
            out += rest[4] === '+' ? '?*' : '*';
            i += 4;
        }
        else if (c === '\\') {
            const next = body[++i];
            if (next === undefined || /[A-Za-z0-9]/.test(next) || next === '*' || next === '?')
                return refuse;
            out += next;
        }
        else if (META.has(c))
            return refuse;
        else
            out += c;
    }
    return ok(out);
}
//# sourceMappingURL=string-match.js.map