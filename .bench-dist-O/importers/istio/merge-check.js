import { parse } from 'yaml';
import { subsetsWithoutInstances } from '../../proxy/config/mesh-schema.js';
import { YamlSource } from '../../proxy/config/yaml-source.js';
const isRecord = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
/**
 * True when a mesh file lists an instance, so a proxy reads it itself
 * (`proxy --mesh`). A control plane's mesh lists none: its instances
 * register. `validate` tells the two apart the same way.
 */
export function listsInstances(text) {
    let raw;
    try {
        raw = parse(text);
    }
    catch {
        return false;
    }
    if (!isRecord(raw) || !isRecord(raw.services))
        return false;
    return Object.values(raw.services).some((svc) => isRecord(svc) && Array.isArray(svc.instances) && svc.instances.length > 0);
}
const labelsText = (labels) => `{ ${Object.entries(labels).map(([k, v]) => `${k}: ${v}`).join(', ')} }`;
/**
 * The route subsets of a merged mesh that no instance has, as errors: a
 * proxy reading the mesh itself refuses them, and nothing registers on a
 * proxy alone. Each is placed where the Istio files name the subset (a route
 * the base mesh had itself, in the base), with what to do.
 *
 * @example subsetsWithoutInstancesAfterMerge(mesh, result.services, { file: 'small-mesh.yaml', text })[0].message // 'subset v2 of reviews ...'
 */
export function subsetsWithoutInstancesAfterMerge(mesh, services, base) {
    const registered = 'or, if the mesh is for a control plane where instances register (faultmesh mesh apply), import with --registered';
    const out = [];
    for (const [name, service] of Object.entries(mesh.services)) {
        for (const w of subsetsWithoutInstances(service)) {
            const [, r, , s] = w.path;
            const imported = services.get(name);
            const labels = service.routes[r].to[s].labels;
            const where = imported?.routes.length ? imported.routes[r]?.toFrom?.[s] : undefined;
            if (!where || !imported?.locateRoutes) {
                const message = `no instance has labels ${labelsText(labels)} for this route of ${base.file}, and a proxy reading the merged mesh refuses it: add an instance with those labels to services.${name}.instances, ${registered}`;
                out.push(new YamlSource(base.file, base.text).locate({ path: ['services', name, ...w.path], message }));
                continue;
            }
            const what = where.subset === undefined ? `${name} has no instance in ${base.file}` : `subset ${where.subset} of ${name} (labels ${labelsText(labels)}) has no instance in ${base.file}`;
            const add = where.subset === undefined ? 'an instance' : `an instance with labels: ${labelsText(labels)}`;
            const at = imported.locateRoutes(where.subset === undefined ? where.path : [...where.path, 'subset']);
            out.push({ ...at, message: `${what}, and a proxy reading the merged mesh refuses a route to it: add ${add} to services.${name}.instances in ${base.file}, ${registered}` });
        }
    }
    return out;
}
//# sourceMappingURL=merge-check.js.map