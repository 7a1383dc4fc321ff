import { ConfigError } from '../../config/config-error.js';
import { meshAwaitingInstancesSchema } from '../../config/mesh-schema.js';
import { applySplitOverrides } from '../../config/split-overrides.js';
const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
/**
 * The mesh a control-plane proxy runs: the applied mesh text, plus every
 * registration as an instance of its service (a service the text does not
 * list is created with the default policy; a registration with the id of a
 * static instance replaces it), plus each live override in place of its
 * route's subsets. Validated as a whole, like a file, so a bad registration
 * refuses the version rather than half-applying it. Route subsets may wait
 * for instances that have not registered yet (they get no traffic).
 *
 * Throws ConfigError, placed in the mesh text where the schema allows.
 */
export function mergeMesh(base, registrations, overrides) {
    const syntax = base.syntaxIssues();
    if (syntax.length)
        throw new ConfigError(syntax);
    const data = structuredClone(base.toJS());
    if (!isObject(data))
        return base.validateData(meshAwaitingInstancesSchema, data);
    const services = (data.services ??= {});
    if (!isObject(services))
        return base.validateData(meshAwaitingInstancesSchema, data);
    for (const r of registrations) {
        const service = (services[r.service] ??= {});
        if (!isObject(service))
            continue; // the schema reports the service itself
        const listed = Array.isArray(service.instances) ? service.instances : [];
        const instance = { id: r.id, address: r.address, labels: r.labels };
        if (r.region !== undefined)
            instance.region = r.region;
        if (r.zone !== undefined)
            instance.zone = r.zone;
        service.instances = [...listed.filter((i) => !isObject(i) || i.id !== r.id), instance];
    }
    // Only a route that splits traffic has weights to override; the control plane checked this when it took the override.
    applySplitOverrides(services, overrides);
    return base.validateData(meshAwaitingInstancesSchema, data);
}
//# sourceMappingURL=merge-mesh.js.map