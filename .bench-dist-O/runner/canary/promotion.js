import { writeFileSync } from 'node:fs';
import { isMap, isSeq, parseDocument } from 'yaml';
import { callAdmin, describeFailure, isOk } from '../../proxy/admin/admin-client.js';
import { readRoutes, sameLabels } from './route-info.js';
/**
 * The mesh text with the canary's route giving all its weight to the
 * canary: the edit that makes a promotion permanent. Edited in place with
 * the yaml document API, so the operator's comments and layout stay.
 */
export function promotedMeshText(text, service, route, canary) {
    const doc = parseDocument(text);
    const to = doc.getIn(['services', service, 'routes', route, 'to'], true);
    if (!isSeq(to))
        throw new Error(`the mesh has no "to" at services.${service}.routes[${route}]`);
    for (const item of to.items) {
        if (!isMap(item))
            continue;
        const labels = item.toJSON().labels ?? {};
        item.set('weight', sameLabels(labels, canary) ? 100 : 0);
    }
    return doc.toString();
}
/**
 * True when the mesh itself (not an override) sends the route's traffic to
 * the canary only. Through a control plane that is its mesh text; a
 * proxy's /v1/routes shows the override too, so callers ask it only once
 * the override is gone.
 */
export async function meshPromoted(target, service, route, canary) {
    const found = await readRoutes(target, service).catch(() => undefined);
    const to = found?.routes.find((r) => r.index === route)?.to;
    if (!to)
        return false;
    return to.some((s) => sameLabels(s.labels, canary) && (s.weight ?? 1) > 0) && to.every((s) => sameLabels(s.labels, canary) || s.weight === 0);
}
/**
 * Writes the promoted mesh beside the journal and, with `apply`, applies
 * it through the control plane with the version it was read at (so a mesh
 * someone changed meanwhile is not overwritten: 409, and the plan says so).
 */
export async function planPromotion(target, split, service, stable, canary, meshOut, apply) {
    if (target.kind !== 'control' || !split.mesh) {
        return {
            command: null,
            meshFile: null,
            applied: false,
            note: `set route ${split.index} of "${service}" in each proxy's mesh file to { labels: ${JSON.stringify(canary)}, weight: 100 } and { labels: ${JSON.stringify(stable)}, weight: 0 }, then reload each proxy (SIGHUP); the canary holds 100% until then`,
        };
    }
    // Built from the mesh as it is now, not as the canary found it: someone may have applied another change since,
    // which a promoted copy of the old text (and its --expect-version) would undo or be refused for. One retry after a race.
    let mesh = (await readRoutes(target, service)).mesh ?? split.mesh;
    for (let attempt = 0;; attempt++) {
        const text = promotedMeshText(mesh.text, service, split.index, canary);
        writeFileSync(meshOut, text);
        const command = `faultmesh mesh apply ${meshOut} --expect-version ${mesh.version} --control ${target.url}`;
        if (!apply)
            return { command, meshFile: meshOut, applied: false, note: `run: ${command}` };
        const r = await callAdmin(target.url, 'PUT', '/v1/mesh', target.token, { text, file: mesh.file, expectVersion: mesh.version });
        if (isOk(r))
            return { command: null, meshFile: meshOut, applied: true, note: `applied the promoted mesh as mesh version ${String(r.body.version)}` };
        if (r.status === 409 && attempt === 0) {
            mesh = (await readRoutes(target, service)).mesh ?? mesh;
            continue;
        }
        return { command, meshFile: meshOut, applied: false, note: `the promoted mesh could not be applied (${describeFailure(r)}); run: ${command}` };
    }
}
//# sourceMappingURL=promotion.js.map