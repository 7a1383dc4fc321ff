import type { MeshConfig } from '../config/mesh-schema.js';
import { toEndpoint, type Endpoint } from './endpoint.js';

/**
 * Where the data plane learns which instances a service has. The static
 * registry reads them from the mesh file; a control-plane backend (etcd,
 * with registrations under leases) implements the same two methods.
 */
export interface ServiceRegistry {
  services(): readonly string[];
  /** Instances of a service; empty when it has none or is unknown. */
  endpoints(service: string): readonly Endpoint[];
}

/** Instances as listed in the mesh file. */
export class StaticRegistry implements ServiceRegistry {
  private readonly byService = new Map<string, readonly Endpoint[]>();

  /**
   * @param previous the registry being replaced on reload: instances that keep
   *   their id and address keep their live counters and health, so in-flight
   *   counts, balancing and ejections are not thrown off by a reload.
   */
  constructor(mesh: MeshConfig, previous?: ServiceRegistry) {
    for (const [name, service] of Object.entries(mesh.services)) {
      const old = new Map(previous?.endpoints(name).map((e) => [`${e.id}@${e.address}`, e]));
      this.byService.set(
        name,
        service.instances.map((inst) => toEndpoint(name, inst, old.get(`${inst.id}@${inst.address.text}`))),
      );
    }
  }

  services(): readonly string[] {
    return [...this.byService.keys()];
  }

  endpoints(service: string): readonly Endpoint[] {
    return this.byService.get(service) ?? [];
  }
}
