import { Router } from 'express';
import { z } from 'zod';
import { serviceNameSchema } from '../../proxy/config/mesh-schema.js';
import { durationUpTo } from '../../proxy/config/duration.js';
import { ANY_SERVICE } from '../ca/join-tokens.js';
import { requireBearer } from './bearer.js';
import { noCa } from './ca-routes.js';
import { ControlError } from './control-error.js';
import { parseBody } from './request-body.js';
/** The longest a join token may be asked to live; without a ttl it lives until revoked. */
export const MAX_JOIN_TOKEN_TTL_MS = 365 * 86_400_000;
const createSchema = z.strictObject({
    services: z
        .array(z.union([z.literal(ANY_SERVICE), serviceNameSchema]))
        .min(1, 'name at least one service the token may be issued certificates for, or "*" for any')
        .max(100)
        .refine((s) => !s.includes(ANY_SERVICE) || s.length === 1, '"*" (any service) stands alone'),
    ttl: durationUpTo(MAX_JOIN_TOKEN_TTL_MS)
        .refine((ms) => ms > 0, 'ttl must be above 0')
        .optional(),
});
/**
 * /v1/join-tokens, under the control token: creating and revoking are
 * state changes (guarded with the rest), and the list is guarded too,
 * whatever the method, since it says which services can be joined.
 * The secret is in the create reply only.
 */
export function joinTokenRoutes({ tokens, hasCa, token }) {
    const router = Router();
    router.post('/v1/join-tokens', async (req, res) => {
        if (!hasCa)
            throw noCa();
        const asked = parseBody(createSchema, req.body, 'join token ({"services": ["orders"], "ttl": "30d"})');
        const created = await tokens.create(asked.services, asked.ttl);
        const { secretSha256: _hash, ...shown } = created.value;
        res.status(201).json({ ...shown, token: created.token });
    });
    router.get('/v1/join-tokens', requireBearer(token, 'the join tokens say which services can be joined: send Authorization: Bearer <control token>'), async (_req, res) => {
        res.json({ tokens: await tokens.list() });
    });
    router.delete('/v1/join-tokens/:id', async (req, res) => {
        const revoked = await tokens.revoke(req.params.id);
        if (!revoked)
            throw new ControlError('JOIN_TOKEN_NOT_FOUND', 404, `no join token ${req.params.id}: list them with faultmesh ca token list`);
        res.json({ revoked });
    });
    return router;
}
//# sourceMappingURL=join-token-routes.js.map