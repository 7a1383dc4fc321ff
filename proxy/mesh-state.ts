import { ConfigError, type SourceIssue } from './config/config-error.js';
import { loadMeshFile } from './config/load-mesh.js';
import type { MeshConfig } from './config/mesh-schema.js';
import { StaticRegistry, type ServiceRegistry } from './registry/service-registry.js';
import { buildMeshTable, type MeshTable, type TableDeps } from './routing/mesh-table.js';

interface Loaded {
  readonly config: MeshConfig;
  readonly registry: ServiceRegistry;
  readonly table: MeshTable;
  readonly loadedAt: Date;
}

export type ReloadResult = { readonly ok: true; readonly services: number } | { readonly ok: false; readonly issues: readonly SourceIssue[] };

/**
 * The running configuration. A reload builds a complete new table and swaps
 * it in one assignment: requests see the old or the new mesh, never a mix,
 * and an invalid file leaves the running one untouched.
 */
export class MeshState {
  private current: Loaded;

  constructor(readonly file: string, private readonly deps: TableDeps) {
    this.current = this.load();
  }

  readonly table = (): MeshTable => this.current.table;

  get registry(): ServiceRegistry {
    return this.current.registry;
  }

  get loadedAt(): Date {
    return this.current.loadedAt;
  }

  /**
   * Never throws: a reload (SIGHUP, POST /v1/reload) must not take a running
   * proxy and its faults down, whatever the file holds.
   */
  reload(): ReloadResult {
    try {
      this.current = this.load(this.current);
      return { ok: true, services: this.current.table.services.size };
    } catch (err) {
      if (err instanceof ConfigError) return { ok: false, issues: err.issues };
      return { ok: false, issues: [{ file: this.file, line: 0, column: 0, field: '', message: `cannot load: ${err instanceof Error ? err.message : String(err)}` }] };
    }
  }

  private load(previous?: Loaded): Loaded {
    const config = loadMeshFile(this.file);
    const registry = new StaticRegistry(config, previous?.registry);
    return { config, registry, table: buildMeshTable(config, registry, this.deps, previous?.table), loadedAt: new Date() };
  }
}
