import { toEndpoint } from './endpoint.js';
/** Instances as listed in the mesh file. */
export class StaticRegistry {
    byService = new Map();
    /**
     * @param previous the registry being replaced on reload: instances that keep
     *   their id and address keep their live counters and health, so in-flight
     *   counts, balancing and ejections are not thrown off by a reload.
     */
    constructor(mesh, previous) {
        for (const [name, service] of Object.entries(mesh.services)) {
            const old = new Map(previous?.endpoints(name).map((e) => [`${e.id}@${e.address}`, e]));
            this.byService.set(name, service.instances.map((inst) => toEndpoint(name, inst, old.get(`${inst.id}@${inst.address.text}`))));
        }
    }
    services() {
        return [...this.byService.keys()];
    }
    endpoints(service) {
        return this.byService.get(service) ?? [];
    }
}
//# sourceMappingURL=service-registry.js.map