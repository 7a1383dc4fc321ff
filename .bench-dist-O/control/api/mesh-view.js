import { parseMeshAwaitingInstances } from '../../proxy/config/load-mesh.js';
let last;
/**
 * The applied mesh, parsed: it was validated when it was stored, so this
 * only fails for a store edited by hand (then: undefined). The last parse is
 * kept, since the text changes far less often than it is read.
 */
export function parsedMesh(mesh) {
    if (!mesh)
        return undefined;
    if (last?.text !== mesh.text) {
        let parsed;
        try {
            parsed = parseMeshAwaitingInstances(mesh.text, mesh.file).mesh;
        }
        catch {
            parsed = undefined;
        }
        last = { text: mesh.text, mesh: parsed };
    }
    return last.mesh;
}
/** The services the applied mesh names; undefined without a mesh (then nothing is warned about). */
export function meshServices(mesh) {
    const parsed = parsedMesh(mesh);
    return parsed ? new Set(Object.keys(parsed.services)) : undefined;
}
//# sourceMappingURL=mesh-view.js.map