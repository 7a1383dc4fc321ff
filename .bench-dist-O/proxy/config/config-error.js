/**
 * Thrown when a configuration file (mesh, experiment, fault rule) is invalid.
 * Carries every issue found, not just the first, so a user fixes them in one go.
 */
export class ConfigError extends Error {
    code = 'CONFIG_INVALID';
    name = 'ConfigError';
    issues;
    constructor(issues) {
        const listed = capIssues(issues);
        super(listed.map(formatIssue).join('\n'));
        this.issues = listed;
    }
}
/** More than anyone reads: a file of half a million bad values would otherwise print (and hold) half a million lines. */
export const MAX_LISTED_ISSUES = 200;
function capIssues(issues) {
    if (issues.length <= MAX_LISTED_ISSUES)
        return issues;
    const last = issues[MAX_LISTED_ISSUES - 1];
    const more = issues.length - MAX_LISTED_ISSUES;
    return [...issues.slice(0, MAX_LISTED_ISSUES), { file: last.file, line: 0, column: 0, field: '', message: `and ${more} more error${more === 1 ? '' : 's'}, not listed` }];
}
/**
 * `file:line:column field: message`, the format editors and CI logs can jump
 * to; `file: message` for line 0, a problem of the whole file (not found,
 * too large) with no place in it to point at.
 */
export function formatIssue(issue) {
    const field = issue.field ? `${issue.field}: ` : '';
    const at = issue.line > 0 ? `${issue.file}:${issue.line}:${issue.column} ` : `${issue.file}: `;
    return `${at}${field}${issue.message}`;
}
/** Renders a zod-style path as `a.b[0].c`. */
export function formatPath(path) {
    let out = '';
    for (const part of path) {
        if (typeof part === 'number')
            out += `[${part}]`;
        else
            out += out ? `.${String(part)}` : String(part);
    }
    return out;
}
/** A union branch that failed only because the value had another shape (the user meant another branch). */
const isShapeMismatch = (branch) => branch.every((i) => i.path.length === 0 && (i.code === 'invalid_type' || (i.code === 'invalid_union' && (i.errors ?? []).every(isShapeMismatch))));
/**
 * A union's issues are what its one fitting branch said (the object form of a
 * tolerance, say), not "Invalid input" with every branch nested inside.
 */
function explainUnion(issue, data) {
    const branches = issue.errors ?? [];
    // The branch the user meant: one whose keys all fit, with the fewest complaints.
    const misfit = (b) => (b.some((i) => i.code === 'unrecognized_keys' && i.path.length === 0) ? 1000 : 0) + b.length;
    const fitting = branches.filter((b) => !isShapeMismatch(b)).sort((a, b) => misfit(a) - misfit(b))[0];
    if (fitting)
        return explainIssues(fitting.map((i) => ({ ...i, path: [...issue.path, ...i.path] })), data);
    const named = branches.flat().find((i) => !i.message.startsWith('Invalid input'));
    return [{ path: issue.path, message: valueAt(data, issue.path) === undefined ? 'required field is missing' : (named?.message ?? issue.message) }];
}
/**
 * Turns zod issues into what a user should read: one issue per unknown key
 * (named as its own field), and "required field is missing" rather than
 * zod's "expected string, received undefined". Shared by files (YAML, with
 * line numbers) and the admin API (JSON, with field paths).
 */
export function explainIssues(issues, data) {
    return issues.flatMap((issue) => {
        if (issue.code === 'unrecognized_keys' && issue.keys) {
            return issue.keys.map((key) => ({ path: [...issue.path, key], message: 'unknown field' }));
        }
        if (issue.code === 'invalid_union' && issue.errors?.length)
            return explainUnion(issue, data);
        if (issue.code === 'invalid_key' && issue.issues?.[0])
            return [{ path: issue.path, message: issue.issues[0].message, atKey: true }];
        const value = valueAt(data, issue.path);
        if (issue.code === 'invalid_type' && value === undefined)
            return [{ path: issue.path, message: 'required field is missing' }];
        // zod's own words ("Invalid input: expected string, received number") said as what the field takes.
        const wrongType = issue.code === 'invalid_type' && issue.message.startsWith('Invalid input') && typeof issue.expected === 'string';
        return [{ path: issue.path, message: wrongType ? `expected ${TYPE_WORDS[issue.expected] ?? issue.expected}, not ${describeValue(value)}` : issue.message }];
    });
}
const TYPE_WORDS = { string: 'a string', number: 'a number', int: 'a whole number', boolean: 'true or false', array: 'a list', object: 'a mapping', record: 'a mapping', null: 'null' };
/** A value, in a message: `a list`, `a mapping`, `the number 5`, `the text "x"`. */
export const describeValue = (v) => Array.isArray(v) ? 'a list' : v === null ? 'null' : typeof v === 'object' ? 'a mapping' : typeof v === 'string' ? `the text ${JSON.stringify(v.length > 40 ? `${v.slice(0, 37)}...` : v)}` : typeof v === 'number' ? `the number ${v}` : String(v);
function valueAt(data, path) {
    let cur = data;
    for (const key of path) {
        if (cur === null || typeof cur !== 'object')
            return undefined;
        cur = cur[key];
    }
    return cur;
}
//# sourceMappingURL=config-error.js.map