/** Providers that talk to the mesh's admin API, and so may name the control plane instead of each proxy. */
const MESH_PROVIDERS = new Set(['fault', 'metric']);
const SECTIONS = [['steady-state-hypothesis', 'probes'], ['method'], ['rollbacks'], ['safeguards']];
const isRecord = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
/**
 * The control plane an experiment names: `configuration.control` (or a
 * `--var control=URL`), else FAULTMESH_CONTROL. Undefined: the experiment
 * lists its proxies itself.
 */
export function controlOf(vars, env) {
    const v = vars.get('control');
    if (v?.kind === 'value' && typeof v.value === 'string' && v.value)
        return v.value;
    return env.FAULTMESH_CONTROL || undefined;
}
/**
 * Gives every `fault` and `metric` provider without an `admin` the control
 * plane's URL: the control plane speaks the proxies' fault and metrics API for
 * the whole mesh, so one lease-holding URL stands for every proxy. Without a
 * control plane such a provider is reported, naming both ways to fix it.
 */
export function fillControl(doc, control, issues) {
    for (const path of SECTIONS) {
        const list = path.reduce((node, key) => (isRecord(node) ? node[key] : undefined), doc);
        if (!Array.isArray(list))
            continue;
        list.forEach((activity, i) => {
            const provider = isRecord(activity) ? activity.provider : undefined;
            if (!isRecord(provider) || !MESH_PROVIDERS.has(String(provider.type)) || provider.admin !== undefined)
                return;
            if (control)
                provider.admin = control;
            else
                issues.push({ path: [...path, i, 'provider', 'admin'], message: 'name the proxies\' admin URLs here, or the control plane with configuration.control, --var control=URL or FAULTMESH_CONTROL' });
        });
    }
}
//# sourceMappingURL=control-default.js.map