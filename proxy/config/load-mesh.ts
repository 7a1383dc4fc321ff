import { YamlSource } from './yaml-source.js';
import { meshSchema, type MeshConfig } from './mesh-schema.js';

/**
 * Reads and validates a mesh file. Throws ConfigError with every issue as
 * `file:line:column field: message`; never returns a half-valid mesh.
 */
export function loadMeshFile(file: string): MeshConfig {
  return YamlSource.read(file).validate(meshSchema);
}

/** Same as loadMeshFile, for text already in memory (tests, admin uploads). */
export function parseMesh(text: string, file = '<mesh>'): MeshConfig {
  return new YamlSource(file, text).validate(meshSchema);
}
