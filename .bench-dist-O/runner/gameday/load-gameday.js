import { dirname, resolve } from 'node:path';
import { ConfigError } from '../../proxy/config/config-error.js';
import { YamlSource } from '../../proxy/config/yaml-source.js';
import { loadExperiment } from '../experiment/load-experiment.js';
import { gamedaySchema } from './gameday-schema.js';
import { localToInstant } from './local-time.js';
/** A run whose `after` chain loops back to itself would never start. */
function cycleIssues(runs) {
    const names = runs.map((r) => r.id ?? r.experiment);
    return runs.flatMap((r, i) => {
        const seen = new Set([i]);
        let cur = r;
        while (cur.after !== undefined) {
            const next = names.indexOf(cur.after);
            if (next < 0)
                return [];
            if (seen.has(next))
                return next === i ? [{ path: ['runs', i, 'after'], message: `"${names[i]}" waits on a chain of runs that waits on it: it would never start` }] : [];
            seen.add(next);
            cur = runs[next];
        }
        return [];
    });
}
/**
 * Reads and validates a game-day file and every experiment it names (with
 * the run's vars). All problems are thrown at once as a ConfigError: the game
 * day's own with its line numbers, an experiment's with the experiment's.
 */
export function loadGameday(file, options = {}) {
    const source = YamlSource.read(file);
    const spec = source.validate(gamedaySchema);
    const issues = cycleIssues(spec.runs).map((i) => source.locate(i));
    const at = (path, message) => issues.push(source.locate({ path, message }));
    const window = spec.window && { start: localToInstant(spec.window.start, spec.timezone), end: localToInstant(spec.window.end, spec.timezone) };
    if (window && !window.start)
        at(['window', 'start'], `not a time in ${spec.timezone}`);
    if (window && !window.end)
        at(['window', 'end'], `not a time in ${spec.timezone}`);
    const runs = [];
    spec.runs.forEach((r, i) => {
        const experimentFile = resolve(dirname(file), r.experiment);
        let experiment;
        try {
            experiment = loadExperiment(experimentFile, { vars: r.vars, ...(options.python ? { python: options.python } : {}) });
        }
        catch (err) {
            if (!(err instanceof ConfigError))
                throw err;
            // The experiment's own errors, in its own file; and one here that says which run named it.
            issues.push(...err.issues);
            at(['runs', i, 'experiment'], `${r.experiment} is not a valid experiment (${err.issues.length} error${err.issues.length === 1 ? '' : 's'} above)`);
        }
        let trigger;
        if (r.at !== undefined) {
            const when = localToInstant(r.at, spec.timezone);
            if (!when)
                at(['runs', i, 'at'], `not a time in ${spec.timezone}`);
            trigger = { kind: 'at', at: when ?? new Date(0) };
        }
        else if (r.cron !== undefined)
            trigger = { kind: 'cron', pattern: r.cron, maxRuns: r.maxRuns };
        else
            trigger = { kind: 'after', after: r.after };
        if (experiment)
            runs.push({ name: r.id ?? r.experiment, experimentFile, experiment, vars: r.vars, trigger });
    });
    if (issues.length)
        throw new ConfigError(issues);
    return {
        file,
        title: spec.gameday,
        timezone: spec.timezone,
        window: window && { start: window.start, end: window.end },
        onFailure: spec.onFailure,
        concurrency: spec.concurrency,
        admins: spec.control ? [spec.control, ...spec.admin] : spec.admin,
        control: spec.control,
        runs,
    };
}
//# sourceMappingURL=load-gameday.js.map