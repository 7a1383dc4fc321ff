import { missingHost, unknownService } from '../errors.js';
import type { MeshTable } from '../routing/mesh-table.js';
import type { Layer } from '../http/call.js';

/** Looks the destination up in the mesh table that is current when the request arrives. */
export const resolveService =
  (table: () => MeshTable): Layer =>
  (next) =>
  (call) => {
    if (call.destination === '') return Promise.resolve({ kind: 'error', error: missingHost() });
    const service = table().services.get(call.destination);
    if (!service) return Promise.resolve({ kind: 'error', error: unknownService(call.destination) });
    call.service = service;
    return next(call);
  };
