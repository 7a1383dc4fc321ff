import { JSONPath } from 'jsonpath-plus';
import { pythonRegExp } from './python-regex.js';
const isRecord = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
/** Output fields a tolerance reads by default: an http output's body, a process output's stdout. */
function defaultText(value) {
    if (isRecord(value)) {
        if ('body' in value)
            return value.body;
        if ('stdout' in value)
            return value.stdout;
    }
    return value;
}
/**
 * `target` picks a field of the output, as in Chaos Toolkit; a dotted target
 * (`latencyMs.p99`) goes deeper. Without one, or when the field is absent,
 * the value is used as it is.
 */
function pick(value, target) {
    if (!target)
        return value;
    if (isRecord(value) && target in value)
        return value[target];
    let cur = value;
    for (const key of target.split('.')) {
        if (!isRecord(cur) || !(key in cur))
            return value;
        cur = cur[key];
    }
    return cur;
}
function asNumber(value) {
    if (typeof value === 'number')
        return value;
    if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
        return Number(value);
    return undefined;
}
const asText = (value) => (typeof value === 'string' ? value : JSON.stringify(value) ?? '');
function parseJsonText(value) {
    if (typeof value !== 'string')
        return value;
    try {
        return JSON.parse(value);
    }
    catch {
        return value;
    }
}
/** Equality of JSON values as Python's `==` has it: mappings equal whatever their keys' order. */
function sameJson(a, b) {
    if (Array.isArray(a) || Array.isArray(b))
        return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => sameJson(x, b[i]));
    if (isRecord(a) && isRecord(b)) {
        const keys = Object.keys(a);
        return keys.length === Object.keys(b).length && keys.every((k) => k in b && sameJson(a[k], b[k]));
    }
    return a === b;
}
/** Fields of an http or process output, which a jsonpath without `target` can also name, as Chaos Toolkit reads it. */
const OUTPUT_FIELDS = new Set(['status', 'headers', 'body', 'stdout', 'stderr']);
/** The first member a path names (`$.body.items` → body, `$['status']` → status). */
const firstMember = (path) => /^\$(?:\.([A-Za-z_][\w-]*)|\[['"]([^'"]+)['"]\])/.exec(path.trim())?.slice(1).find(Boolean);
/**
 * What a jsonpath tolerance reads. `target` picks a field; without one
 * faultmesh reads the body (or stdout), while Chaos Toolkit reads the whole
 * output: a path whose first member is a field of the output (`$.body.items`)
 * that the body lacks is read in the whole output, so both spellings work.
 */
function jsonpathInput(tolerance, output) {
    if (tolerance.target)
        return pick(output, tolerance.target);
    const body = parseJsonText(defaultText(output));
    const first = firstMember(tolerance.path);
    if (isRecord(output) && body !== output && first && OUTPUT_FIELDS.has(first) && first in output && !(isRecord(body) && first in body))
        return output;
    return body;
}
/**
 * The values a jsonpath tolerance's path matches in a probe's output. Text
 * that is not JSON (and any other scalar) is matched as Chaos Toolkit's
 * jsonpath2 matches it: `$` finds the value itself, every other path
 * nothing, so `count: 0` is met on a body that is not JSON.
 */
export function jsonpathMatches(tolerance, output) {
    const json = parseJsonText(jsonpathInput(tolerance, output));
    if (json === null || typeof json !== 'object')
        return tolerance.path.trim() === '$' ? [json] : [];
    try {
        return JSONPath({ path: tolerance.path, json, wrap: true });
    }
    catch (err) {
        throw new Error(`jsonpath ${tolerance.path} cannot be read: ${err.message}`);
    }
}
/**
 * Whether a probe's output is within its tolerance, read as Chaos Toolkit
 * reads it: a number or list compares with an http or process output's
 * `status`; regex and jsonpath default to its body or stdout.
 *
 * @example withinTolerance(200, { status: 200, headers: {}, body: '' }) // true
 */
export function withinTolerance(tolerance, value) {
    if (typeof tolerance === 'boolean' || typeof tolerance === 'string')
        return value === tolerance;
    if (typeof tolerance === 'number')
        return isRecord(value) && 'status' in value ? value.status === tolerance : value === tolerance;
    if (Array.isArray(tolerance)) {
        if (isRecord(value) && 'status' in value)
            return tolerance.includes(value.status);
        // Chaos Toolkit reads two numbers against a bare value as an inclusive range.
        const n = asNumber(value);
        if (tolerance.length === 2 && n !== undefined && typeof tolerance[0] === 'number' && typeof tolerance[1] === 'number')
            return tolerance[0] <= n && n <= tolerance[1];
        return tolerance.some((t) => t === value);
    }
    switch (tolerance.type) {
        case 'range': {
            const n = asNumber(pick(value, tolerance.target));
            return n !== undefined && tolerance.range[0] <= n && n <= tolerance.range[1];
        }
        case 'threshold': {
            const n = asNumber(pick(value, tolerance.target));
            return n !== undefined && (tolerance.min === undefined || n >= tolerance.min) && (tolerance.max === undefined || n <= tolerance.max);
        }
        case 'regex':
            // As chaoslib: Python's re.search, translated once (runner/python-regex.ts).
            return pythonRegExp(tolerance.pattern).test(asText(tolerance.target ? pick(value, tolerance.target) : defaultText(value)));
        case 'jsonpath': {
            // As chaoslib: `expect` (a list is the whole list of matches, anything else the one match) wins over `count`, which wins over "matches something".
            const found = jsonpathMatches(tolerance, value);
            if ('expect' in tolerance && tolerance.expect !== undefined)
                return sameJson(found, Array.isArray(tolerance.expect) ? tolerance.expect : [tolerance.expect]);
            if (tolerance.count !== undefined)
                return found.length === tolerance.count;
            return found.length > 0;
        }
        case 'probe':
            return false;
    }
}
/**
 * The part of the output a tolerance looks at, for people reading the
 * journal: `target` when given, the status of an http or process output for
 * the plain forms, the body or stdout for regex and jsonpath.
 */
export function judgedValue(tolerance, output) {
    if (typeof tolerance !== 'object' || Array.isArray(tolerance))
        return isRecord(output) && 'status' in output ? output.status : output;
    if (tolerance.type === 'range' || tolerance.type === 'threshold')
        return pick(output, tolerance.target);
    if (tolerance.type === 'jsonpath')
        return jsonpathInput(tolerance, output);
    if (tolerance.type === 'regex')
        return tolerance.target ? pick(output, tolerance.target) : defaultText(output);
    return output;
}
/** A tolerance as a short phrase for progress lines and reports: `= 200`, `>= 0.99`, `~ /ok/`. */
export function describeTolerance(tolerance) {
    if (typeof tolerance !== 'object')
        return `= ${JSON.stringify(tolerance)}`;
    if (Array.isArray(tolerance))
        return `in ${JSON.stringify(tolerance)}`;
    const of = 'target' in tolerance && tolerance.target ? `${tolerance.target} ` : '';
    switch (tolerance.type) {
        case 'range':
            return `${of}in [${tolerance.range[0]}, ${tolerance.range[1]}]`;
        case 'threshold':
            return [tolerance.min !== undefined ? `${of}>= ${tolerance.min}` : '', tolerance.max !== undefined ? `${of}<= ${tolerance.max}` : ''].filter(Boolean).join(' and ');
        case 'regex':
            return `${of}~ /${tolerance.pattern}/`;
        case 'jsonpath':
            return `${of}${tolerance.path}${tolerance.expect !== undefined ? ` = ${JSON.stringify(tolerance.expect)}` : tolerance.count !== undefined ? ` matches ${tolerance.count}` : ' matches'}`;
        case 'probe':
            return 'probe';
    }
}
//# sourceMappingURL=tolerance.js.map