import { isControlRef } from '../controls/control-schema.js';
/**
 * Every place an experiment calls Python, where the file declares it: python
 * activities, python tolerance probes (given `value` besides their own
 * arguments), and controls. A `{ref}` is checked where its target is declared.
 */
export function pythonSitesOf(activities, controls) {
    const sites = [];
    for (const { path, entries } of controls) {
        entries.forEach((c, i) => {
            if (!isControlRef(c))
                sites.push({ path: [...path, i, 'provider'], who: `control "${c.name}"`, module: c.provider.module, control: c });
        });
    }
    for (const { path, entries } of activities) {
        entries.forEach((e, i) => {
            if ('ref' in e)
                return;
            const p = e.provider;
            if (p.type === 'python')
                sites.push({ path: [...path, i, 'provider'], who: `activity "${e.name}"`, module: p.module, func: p.func, arguments: Object.keys(p.arguments) });
            const t = e.tolerance;
            if (typeof t === 'object' && !Array.isArray(t) && t.type === 'probe' && t.provider.type === 'python') {
                sites.push({ path: [...path, i, 'tolerance', 'provider'], who: `tolerance probe "${t.name}" of activity "${e.name}"`, module: t.provider.module, func: t.provider.func, arguments: [...Object.keys(t.provider.arguments), 'value'] });
            }
        });
    }
    return sites;
}
//# sourceMappingURL=python-sites.js.map