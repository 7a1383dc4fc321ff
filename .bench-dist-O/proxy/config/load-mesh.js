import { YamlSource } from './yaml-source.js';
import { meshAwaitingInstancesSchema, meshSchema, subsetsWithoutInstances } from './mesh-schema.js';
/**
 * Reads and validates a mesh file. Throws ConfigError with every issue as
 * `file:line:column field: message`; never returns a half-valid mesh.
 */
export function loadMeshFile(file) {
    return YamlSource.read(file).validate(meshSchema);
}
/** Same as loadMeshFile, for text already in memory (tests, admin uploads). */
export function parseMesh(text, file = '<mesh>') {
    return new YamlSource(file, text).validate(meshSchema);
}
/**
 * For a mesh whose instances may register later (the control plane's): a
 * route subset no instance has the labels for yet is a warning, placed in
 * the text like an issue, not a refusal. Everything else throws ConfigError.
 */
export function parseMeshAwaitingInstances(text, file = '<mesh>') {
    const source = new YamlSource(file, text);
    const mesh = source.validate(meshAwaitingInstancesSchema);
    const warnings = Object.entries(mesh.services).flatMap(([name, service]) => subsetsWithoutInstances(service).map((w) => source.locate({ path: ['services', name, ...w.path], message: w.message })));
    return { mesh, warnings };
}
//# sourceMappingURL=load-mesh.js.map