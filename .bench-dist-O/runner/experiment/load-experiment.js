import { ConfigError, formatPath, MAX_LISTED_ISSUES } from '../../proxy/config/config-error.js';
import { YamlSource } from '../../proxy/config/yaml-source.js';
import { experimentControls } from '../controls/control-lists.js';
import { checkPythonSites } from '../python/check-python.js';
import { sysPathFor } from '../python/python-env.js';
import { pythonSitesOf } from '../python/python-sites.js';
import { writtenForms } from './as-written.js';
import { experimentSchema } from './experiment-schema.js';
import { explainWrittenArgument } from './provider-schema.js';
import { controlOf, fillControl } from './control-default.js';
import { collectVariables, secretScopesOf, secretValues, substitute, unresolvedEntries } from './variables.js';
const isRef = (e) => 'ref' in e;
/**
 * Reads and validates an experiment file (YAML or JSON). Every problem in it
 * (schema, `${}` names, `{ref}` targets) is thrown at once as a ConfigError
 * with file, line, column and field; nothing is returned half-checked.
 */
export function loadExperiment(file, options = {}) {
    const source = YamlSource.read(file);
    const syntax = source.syntaxIssues();
    if (syntax.length)
        throw new ConfigError(syntax);
    const raw = source.toJS();
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
        throw new ConfigError([{ file, line: 1, column: 1, field: '', message: raw === null || raw === undefined ? 'the file is empty' : 'an experiment is a mapping with title, method and the rest' }]);
    }
    const doc = raw;
    const env = options.env ?? process.env;
    const vars = collectVariables(doc, options.vars ?? {}, env);
    // Every entry without a value, used or not, at its own place (chaoslib refuses them all before anything runs).
    const issues = unresolvedEntries(doc, options.vars ?? {}, env);
    const substituted = { ...doc };
    for (const key of ['steady-state-hypothesis', 'method', 'rollbacks', 'safeguards', 'controls']) {
        if (key in doc)
            substituted[key] = substitute(doc[key], vars, [key], issues);
    }
    fillControl(substituted, controlOf(vars, env), issues);
    const parsed = validateAll(source, substituted, issues, doc);
    const lists = [
        { path: ['steady-state-hypothesis', 'probes'], entries: parsed['steady-state-hypothesis']?.probes ?? [] },
        { path: ['safeguards'], entries: parsed.safeguards },
        { path: ['method'], entries: parsed.method },
        { path: ['rollbacks'], entries: parsed.rollbacks },
    ];
    const names = namesAndRefs(lists);
    const refIssues = names.issues;
    const [probes, safeguards, method, rollbacks] = names.resolved;
    const hypothesis = parsed['steady-state-hypothesis'];
    const controls = experimentControls(parsed.controls, hypothesis?.controls, lists);
    refIssues.push(...controls.issues);
    if (refIssues.length)
        throw new ConfigError(refIssues.map((i) => source.locate(i)));
    // Python last: a file that is otherwise valid, in one child process for the whole experiment.
    const python = options.python ? checkPythonSites(pythonSitesOf(lists, controls.lists), options.python, sysPathFor(file)) : { errors: [], warnings: [] };
    if (python.errors.length)
        throw new ConfigError(python.errors.map((i) => source.locate(i)));
    const configuration = configurationOf(doc, vars, options.vars ?? {});
    const secretScopes = secretScopesOf(doc, options.vars ?? {}, env);
    return {
        file,
        title: parsed.title,
        description: parsed.description,
        tags: parsed.tags ?? [],
        hypothesis: hypothesis && { title: hypothesis.title, probes, duringMs: hypothesis.during, controls: hypothesis.controls },
        method,
        rollbacks,
        safeguards,
        secrets: secretValues(vars, secretScopes),
        configuration,
        secretScopes,
        controls: controls.top,
        runtime: parsed.runtime ?? {},
        ...writtenForms(doc, lists),
        warnings: python.warnings.map((i) => source.locate(i)),
    };
}
/**
 * Names and refs across the sections: each name declared once, each ref to
 * a declared activity (a probe with a tolerance where the section checks).
 * Names are declared by full activities anywhere in the file; a ref takes
 * the first of that name.
 */
function namesAndRefs(lists) {
    const declared = new Map();
    // Two activities with one name would make a ref, the journal and the report ambiguous: refused.
    const refIssues = [];
    const firstAt = new Map();
    for (const { path, entries } of lists) {
        entries.forEach((e, i) => {
            if (!e || isRef(e))
                return;
            const where = formatPath([...path, i]);
            const first = firstAt.get(e.name);
            if (first === undefined) {
                firstAt.set(e.name, where);
                declared.set(e.name, e);
            }
            else
                refIssues.push({ path: [...path, i, 'name'], message: `activity name "${e.name}" is already used at ${first}; give this one another name, or write {ref: ${e.name}} to run that one again` });
        });
    }
    const checked = new Set(['steady-state-hypothesis', 'safeguards']);
    const resolve = ({ path, entries }) => entries.flatMap((e, i) => {
        if (!e)
            return [];
        if (!isRef(e))
            return [e];
        const target = declared.get(e.ref);
        const at = [...path, i, 'ref'];
        if (!target)
            refIssues.push({ path: at, message: `no activity named "${e.ref}" is declared in this experiment` });
        else if (checked.has(String(path[0])) && (target.type !== 'probe' || target.tolerance === undefined))
            refIssues.push({ path: at, message: `"${e.ref}" is not a probe with a tolerance, which this section needs` });
        else
            return [target];
        return [];
    });
    return { resolved: lists.map(resolve), issues: refIssues };
}
/**
 * The schema, and when it refuses the file, the name and ref checks too,
 * run on the entries as written (each with a string name or ref), so a
 * duplicate name is not found only once every schema error is fixed.
 */
function validateAll(source, data, earlier, written) {
    try {
        return source.validateData(experimentSchema, data, earlier);
    }
    catch (err) {
        // A list already cut to its first MAX_LISTED_ISSUES says how many more there are: left as it is.
        if (!(err instanceof ConfigError) || err.issues.length > MAX_LISTED_ISSUES)
            throw err;
        const entry = (e) => {
            const m = e;
            return m !== null && typeof m === 'object' && !Array.isArray(m) && (typeof m.ref === 'string' || typeof m.name === 'string') ? m : undefined;
        };
        const at = (path) => {
            const list = valueAt(data, path);
            return { path, entries: (Array.isArray(list) ? list : []).map(entry) };
        };
        const more = namesAndRefs([at(['steady-state-hypothesis', 'probes']), at(['safeguards']), at(['method']), at(['rollbacks'])]).issues;
        const explained = err.issues.map((i) => ({ ...i, message: explainWrittenArgument(pathOf(i.field), valueAt(written, pathOf(i.field)), i.message) }));
        throw new ConfigError([...explained, ...more.map((i) => source.locate(i))]);
    }
}
/** `method[0].provider.arguments[1]` as a path again. */
const pathOf = (field) => (field.match(/\[\d+\]|[^.[\]]+/g) ?? []).map((part) => (part.startsWith('[') ? Number(part.slice(1, -1)) : part));
const valueAt = (data, path) => path.reduce((v, k) => (v !== null && typeof v === 'object' ? v[k] : undefined), data);
const entriesOf = (v) => (v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.keys(v) : []);
/** The configuration's values (and --var's), for Python functions and controls. */
function configurationOf(doc, vars, overrides) {
    const value = (name) => {
        const v = vars.get(name);
        return v?.kind === 'value' ? [[name, v.value]] : [];
    };
    return Object.fromEntries([...new Set([...entriesOf(doc.configuration), ...Object.keys(overrides)])].flatMap(value));
}
//# sourceMappingURL=load-experiment.js.map