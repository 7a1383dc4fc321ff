import { StaticRegistry, type ServiceRegistry } from './registry/service-registry.js';
import { buildMeshTable, type MeshTable, type TableDeps } from './routing/mesh-table.js';
import type { MeshSnapshot, MeshSource, ReloadResult } from './sources/mesh-source.js';

export type { ReloadResult } from './sources/mesh-source.js';

interface Built {
  readonly snapshot: MeshSnapshot;
  readonly registry: ServiceRegistry;
  readonly table: MeshTable;
  readonly loadedAt: Date;
}

/** What the hot path sees before any configuration arrived: no services, and why, so every call is refused as not ready. */
const EMPTY_SERVICES: MeshTable['services'] = new Map();

/**
 * The running configuration, rebuilt from each snapshot of a mesh source (a
 * file, the control plane). Each snapshot builds a complete new table that
 * is swapped in one assignment: requests see the old or the new mesh, never
 * a mix. Instances that keep their id and address keep their counters and
 * health, and services keep their retry budgets.
 */
export class MeshState {
  private built: Built | undefined;
  private readonly stop: () => void;

  /** @param whyNotReady what to tell callers while there is no snapshot (the control plane's connection state, for one). */
  constructor(
    readonly source: MeshSource,
    private readonly deps: TableDeps,
    private readonly whyNotReady: () => string = () => 'no mesh configuration',
  ) {
    const first = source.current();
    if (first) this.built = this.build(first);
    // Throwing tells the source the snapshot could not be applied (a control source NACKs it); the running table stays.
    this.stop = source.onSnapshot((snapshot) => {
      this.built = this.build(snapshot, this.built);
    });
  }

  readonly table = (): MeshTable => this.built?.table ?? { customerHeader: 'x-customer-id', services: EMPTY_SERVICES, notReady: this.whyNotReady() };

  /** Why the proxy cannot route yet (for /healthz and NOT_READY answers); undefined once it has a snapshot. */
  notReadyReason(): string | undefined {
    return this.built ? undefined : this.whyNotReady();
  }

  /** The snapshot in force; undefined until the source delivered one. */
  get snapshot(): MeshSnapshot | undefined {
    return this.built?.snapshot;
  }

  get registry(): ServiceRegistry | undefined {
    return this.built?.registry;
  }

  get loadedAt(): Date | undefined {
    return this.built?.loadedAt;
  }

  /** Asks the source to read again (SIGHUP, POST /v1/reload); undefined when the source pushes instead. */
  get reload(): (() => ReloadResult) | undefined {
    return this.source.reload;
  }

  close(): void {
    this.stop();
    this.source.close();
  }

  private build(snapshot: MeshSnapshot, previous?: Built): Built {
    const registry = new StaticRegistry(snapshot.config, previous?.registry);
    return { snapshot, registry, table: buildMeshTable(snapshot.config, registry, this.deps, previous?.table), loadedAt: new Date() };
  }
}
