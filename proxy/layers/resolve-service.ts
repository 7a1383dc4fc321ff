import { missingHost, notReady, unknownService } from '../errors.js';
import type { MeshTable } from '../routing/mesh-table.js';
import type { Layer } from '../http/call.js';

/** Looks the destination up in the mesh table that is current when the request arrives. */
export const resolveService =
  (table: () => MeshTable): Layer =>
  (next) =>
  (call) => {
    if (call.destination === '') return Promise.resolve({ kind: 'error', error: missingHost() });
    const current = table();
    const service = current.services.get(call.destination);
    if (!service) return Promise.resolve({ kind: 'error', error: current.notReady === undefined ? unknownService(call.destination) : notReady(current.notReady) });
    call.service = service;
    return next(call);
  };
