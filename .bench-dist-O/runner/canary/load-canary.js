import { dirname, resolve } from 'node:path';
import { ConfigError } from '../../proxy/config/config-error.js';
import { YamlSource } from '../../proxy/config/yaml-source.js';
import { loadExperiment } from '../experiment/load-experiment.js';
import { collectVariables, secretValues, substitute } from '../experiment/variables.js';
import { canarySchema } from './canary-schema.js';
/** The sections `${name}` is substituted in: what differs between environments, not the release's shape. */
const SUBSTITUTED = ['control', 'admins', 'load'];
/** Providers that talk to the mesh's admin API: in a gate without `admin`, the canary's control plane or proxies stand in. */
const MESH_PROVIDERS = new Set(['fault', 'metric']);
const isRecord = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
/** A mapping with `canary` and `steps`: how `validate` tells a canary file from the other kinds. */
export function isCanaryDocument(raw) {
    return isRecord(raw) && 'canary' in raw && 'steps' in raw;
}
/**
 * Reads and validates a canary file (YAML or JSON) and every chaos
 * experiment it names. Every problem is thrown at once as a ConfigError with
 * file, line, column and field: the canary's in the canary file, a chaos
 * experiment's in that experiment's file.
 *
 * @example loadCanary('experiments/canary-catalog-v2.yaml', { vars: { control: 'http://127.0.0.1:15100' } })
 */
export function loadCanary(file, options = {}) {
    const source = YamlSource.read(file);
    const syntax = source.syntaxIssues();
    if (syntax.length)
        throw new ConfigError(syntax);
    const raw = source.toJS();
    if (!isRecord(raw)) {
        throw new ConfigError([{ file, line: 1, column: 1, field: '', message: raw === null || raw === undefined ? 'the file is empty' : 'a canary is a mapping with name, service, stable, canary, steps and the rest' }]);
    }
    const env = options.env ?? process.env;
    const vars = collectVariables(raw, options.vars ?? {}, env);
    const issues = [];
    const doc = { ...raw };
    for (const key of SUBSTITUTED)
        if (key in raw)
            doc[key] = substitute(raw[key], vars, [key], issues);
    if (isRecord(raw.analysis) && 'probes' in raw.analysis)
        doc.analysis = { ...raw.analysis, probes: substitute(raw.analysis.probes, vars, ['analysis', 'probes'], issues) };
    // The flag names the mesh for this run: it replaces whatever the file names.
    if (options.control !== undefined) {
        doc.control = options.control;
        delete doc.admins;
    }
    else if (doc.control === undefined && doc.admins === undefined && env.FAULTMESH_CONTROL)
        doc.control = env.FAULTMESH_CONTROL;
    fillGateAdmins(doc, issues);
    // Chaos experiments are read even when the canary itself has errors, so one run of validate lists them all.
    const stages = loadStages(source, doc, env);
    let spec;
    try {
        spec = source.validateData(canarySchema, doc, issues);
    }
    catch (err) {
        if (!(err instanceof ConfigError) || stages.issues.length === 0)
            throw err;
        throw new ConfigError([...err.issues, ...stages.issues]);
    }
    if (stages.issues.length)
        throw new ConfigError(stages.issues);
    const chaos = spec.chaos.map((stage, i) => ({ at: stage.at, ...stages.loaded[i] }));
    return {
        file,
        name: spec.name,
        service: spec.service,
        ...(spec.route !== undefined && { route: spec.route }),
        stable: spec.stable,
        canary: spec.canary,
        steps: spec.steps,
        intervalMs: spec.interval,
        minRequests: spec.minRequests,
        maxWaitMs: spec.maxWait ?? 4 * spec.interval,
        analysis: spec.analysis,
        failedChecks: spec.failedChecks,
        chaos,
        ...(spec.load !== undefined && { load: spec.load }),
        ...(spec.control !== undefined && { control: spec.control }),
        ...(spec.admins !== undefined && { admins: spec.admins }),
        secrets: secretValues(vars),
    };
}
/**
 * Gives every `fault` and `metric` gate without an `admin` the canary's own
 * way to the mesh (its control plane, else its proxies), so a gate reads the
 * same mesh the weights go through. Without either, the gate is reported.
 */
function fillGateAdmins(doc, issues) {
    const probes = isRecord(doc.analysis) ? doc.analysis.probes : undefined;
    if (!Array.isArray(probes))
        return;
    const via = typeof doc.control === 'string' ? doc.control : Array.isArray(doc.admins) ? doc.admins : undefined;
    doc.analysis = {
        ...doc.analysis,
        probes: probes.map((p, i) => {
            const provider = isRecord(p) ? p.provider : undefined;
            if (!isRecord(p) || !isRecord(provider) || !MESH_PROVIDERS.has(String(provider.type)) || provider.admin !== undefined)
                return p;
            if (via === undefined) {
                issues.push({ path: ['analysis', 'probes', i, 'provider', 'admin'], message: 'name the proxies\' admin URLs here, or the canary\'s control (or admins), --control URL or FAULTMESH_CONTROL' });
                return p;
            }
            return { ...p, provider: { ...provider, admin: via } };
        }),
    };
}
/**
 * Loads each chaos stage's experiment, resolved against the canary file's
 * folder, with the stage's vars. The stage's faults go through the mesh the
 * canary drives: `control` is the canary's unless the stage's vars set it.
 */
function loadStages(source, doc, env) {
    const issues = [];
    const stages = Array.isArray(doc.chaos) ? doc.chaos : [];
    const control = typeof doc.control === 'string' ? doc.control : undefined;
    const loaded = stages.map((stage, i) => {
        if (!isRecord(stage) || typeof stage.experiment !== 'string' || !stage.experiment)
            return undefined;
        const file = resolve(dirname(source.file), stage.experiment);
        const vars = { ...(control ? { control } : {}), ...(isRecord(stage.vars) ? stage.vars : {}) };
        try {
            return { file, experiment: loadExperiment(file, { vars, env }) };
        }
        catch (err) {
            if (!(err instanceof ConfigError))
                throw err;
            // The experiment's own errors, in its own file; and one here that says which stage named it.
            const n = err.issues.length;
            issues.push(...err.issues, source.locate({ path: ['chaos', i, 'experiment'], message: `${stage.experiment} is not a valid experiment (${n} error${n === 1 ? '' : 's'} above)` }));
            return undefined;
        }
    });
    return { loaded, issues };
}
//# sourceMappingURL=load-canary.js.map