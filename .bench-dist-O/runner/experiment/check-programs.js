import { ConfigError } from '../../proxy/config/config-error.js';
import { YamlSource } from '../../proxy/config/yaml-source.js';
import { findProgram } from '../providers/program-path.js';
import { collectVariables, substitute } from './variables.js';
const isRecord = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
/** Fields that hold data, not activities: an http body or a vendor's extension may look like a provider and is none. */
const DATA_KEYS = new Set(['arguments', 'headers', 'extensions', 'contributions']);
/** Every process provider in the document, wherever activities stand (sections, refs' targets, tolerances, configuration probes), with its path. */
function processProviders(node, path, out) {
    if (Array.isArray(node))
        return node.forEach((item, i) => processProviders(item, [...path, i], out));
    if (!isRecord(node))
        return;
    for (const [key, value] of Object.entries(node)) {
        if (DATA_KEYS.has(key))
            continue;
        if (key === 'provider' && isRecord(value) && value.type === 'process')
            out.push({ path: [...path, key, 'path'], program: value.path });
        else
            processProviders(value, [...path, key], out);
    }
}
/**
 * Each process provider whose program cannot run here, as Chaos Toolkit's
 * validate_process_activity finds it: not on PATH, no such file, or not
 * executable. A path still written as `${name}` after substitution (an
 * undeclared name, which the loader reports) is left alone.
 */
export function programIssues(file, options = {}) {
    const source = YamlSource.read(file);
    const doc = source.toJS();
    if (!isRecord(doc))
        return [];
    const env = options.env ?? process.env;
    const vars = collectVariables(doc, options.vars ?? {}, env);
    const found = [];
    processProviders(doc, [], found);
    const issues = [];
    for (const { path, program } of found) {
        const written = substitute(program, vars, path, []);
        if (typeof written !== 'string' || written === '' || written.includes('${'))
            continue;
        const lookup = findProgram(written, env);
        if (!lookup.ok)
            issues.push({ path, message: lookup.reason });
    }
    return issues.map((i) => source.locate(i));
}
/**
 * Throws a ConfigError naming every process provider, in every file given
 * (an experiment, a game day's experiments), whose program cannot run.
 * `faultmesh validate` and `faultmesh run` call it once the files are valid.
 */
export function checkPrograms(files, options = {}) {
    const issues = [...new Set(files)].flatMap((f) => programIssues(f, options));
    if (issues.length)
        throw new ConfigError(issues);
}
//# sourceMappingURL=check-programs.js.map