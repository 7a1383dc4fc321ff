import { Router } from 'express';
import { z } from 'zod';
import { ConfigError } from '../../proxy/config/config-error.js';
import { parseMeshAwaitingInstances } from '../../proxy/config/load-mesh.js';
import { StoreError } from '../store/store.js';
import { AdminError } from '../../proxy/admin/admin-error.js';
import { ControlError } from './control-error.js';
import { parseBody } from './request-body.js';
const putSchema = z.strictObject({
    text: z.string(),
    file: z.string().min(1).max(1000).default('mesh.yaml'),
    expectVersion: z.number().int().min(0).optional(),
});
/**
 * GET and PUT /v1/mesh. A PUT is validated whole with the loader files go
 * through (issues as file:line:column), and replaces the mesh in one write
 * or changes nothing: a bad apply never reaches a proxy. Route subsets
 * whose instances have not registered yet are warnings, not refusals.
 * The same text again writes nothing (no new version, no push): `unchanged`.
 * Versions here are the mesh's own (its key's revision), not the control
 * plane's, which every fault and registration moves too.
 */
export function meshRoutes(ctx) {
    const { store, keys } = ctx;
    const router = Router();
    router.get('/v1/mesh', async (_req, res) => {
        const kv = await store.get(keys.mesh);
        if (!kv)
            throw new ControlError('NO_MESH', 404, 'no mesh has been applied yet: faultmesh mesh apply FILE');
        const v = kv.value;
        res.json({ version: kv.modRevision, text: v.text, file: v.file, appliedAt: v.appliedAt });
    });
    router.put('/v1/mesh', async (req, res) => {
        const body = parseBody(putSchema, req.body, 'mesh ({"text": "<yaml>", "file": "mesh.yaml"})');
        let warnings;
        try {
            ({ warnings } = parseMeshAwaitingInstances(body.text, body.file));
        }
        catch (err) {
            if (!(err instanceof ConfigError))
                throw err;
            throw new AdminError('CONFIG_INVALID', 400, `mesh refused (${err.issues.length} error${err.issues.length === 1 ? '' : 's'}); the applied mesh stays`, { errors: err.issues });
        }
        const applied = await store.get(keys.mesh);
        const old = applied?.value;
        // A stale expectVersion still goes to the store below and is refused, identical text or not.
        if (applied && old?.text === body.text && old.file === body.file && (body.expectVersion ?? applied.modRevision) === applied.modRevision) {
            res.json({ version: applied.modRevision, unchanged: true, ...(warnings.length ? { warnings } : {}) });
            return;
        }
        const value = { text: body.text, file: body.file, appliedAt: new Date(ctx.now()).toISOString() };
        let version;
        try {
            // Always a compare-and-set on the revision read above: of two applies racing (through two replicas, say), one wins and the other is told, never silently overwritten.
            version = await store.put(keys.mesh, value, { expectModRevision: body.expectVersion ?? applied?.modRevision ?? 0 });
        }
        catch (err) {
            if (err instanceof StoreError && err.code === 'CONFLICT') {
                const now = await store.get(keys.mesh);
                if (body.expectVersion === undefined)
                    throw raced(now?.modRevision ?? 0);
                throw conflict(now?.modRevision ?? 0, body.expectVersion);
            }
            throw err;
        }
        res.json({ version, ...(warnings.length ? { warnings } : {}) });
    });
    return router;
}
const raced = (at) => new ControlError('CONFLICT', 409, `another mesh was applied while this one was (now mesh version ${at}); nothing of this apply was written: get the mesh, and apply again if yours should win`);
const conflict = (at, expected) => new ControlError('CONFLICT', 409, `the mesh is at version ${at}, not ${expected}: someone applied another since; get it and apply again ` +
    "(expect-version compares the mesh's own version, which `faultmesh mesh get` and `faultmesh status` show as \"mesh version\", not the control plane's version)");
//# sourceMappingURL=mesh-routes.js.map