import { parseMeshAwaitingInstances } from '../../proxy/config/load-mesh.js';
import type { MeshConfig } from '../../proxy/config/mesh-schema.js';

let last: { readonly text: string; readonly mesh: MeshConfig | undefined } | undefined;

/**
 * The applied mesh, parsed: it was validated when it was stored, so this
 * only fails for a store edited by hand (then: undefined). The last parse is
 * kept, since the text changes far less often than it is read.
 */
export function parsedMesh(mesh: { readonly text: string; readonly file: string } | null): MeshConfig | undefined {
  if (!mesh) return undefined;
  if (last?.text !== mesh.text) {
    let parsed: MeshConfig | undefined;
    try {
      parsed = parseMeshAwaitingInstances(mesh.text, mesh.file).mesh;
    } catch {
      parsed = undefined;
    }
    last = { text: mesh.text, mesh: parsed };
  }
  return last.mesh;
}

/** The services the applied mesh names; undefined without a mesh (then nothing is warned about). */
export function meshServices(mesh: { readonly text: string; readonly file: string } | null): ReadonlySet<string> | undefined {
  const parsed = parsedMesh(mesh);
  return parsed ? new Set(Object.keys(parsed.services)) : undefined;
}
