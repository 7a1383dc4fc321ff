import { z } from 'zod';
import { explainIssues, formatPath } from '../../proxy/config/config-error.js';
import { durationSchema, formatDuration } from '../../proxy/config/duration.js';
import { ControlError } from './control-error.js';
/** Validates a JSON body whole; every field issue is in the 400 reply's `errors`. */
export function parseBody(schema, body, what, code = 'INVALID_REQUEST') {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
        throw new ControlError(code, 400, `send ${what} as a JSON object, with content-type: application/json`, []);
    }
    const parsed = schema.safeParse(body);
    if (parsed.success)
        return parsed.data;
    throw new ControlError(code, 400, `${what} refused; nothing was changed`, explainIssues(parsed.error.issues, body).map((i) => ({ field: formatPath(i.path), message: i.message })));
}
export const ttlSchema = durationSchema.refine((ms) => ms > 0, 'ttl must be above 0');
export const leaseIdSchema = z.string().min(1).max(100);
/**
 * `ttl` grants a lease of its own (cut to `maxTtlMs`, with a warning);
 * `lease` hangs the thing on an existing lease, which must still be alive.
 */
export async function holdingFor(store, asked, maxTtlMs, flag) {
    if ((asked.ttl === undefined) === (asked.lease === undefined)) {
        throw new ControlError('INVALID_REQUEST', 400, 'give exactly one of ttl (a lease of its own) or lease (the id of a lease from POST /v1/leases)', [{ field: 'ttl', message: 'give ttl or lease' }]);
    }
    if (asked.lease !== undefined) {
        const left = await store.leaseTtl(asked.lease);
        if (left === undefined)
            throw new ControlError('LEASE_NOT_FOUND', 404, `no lease "${asked.lease}": it expired or was revoked; grant a new one with POST /v1/leases`);
        return { lease: asked.lease, ttlMs: left, own: false };
    }
    const ttlMs = Math.ceil(Math.min(asked.ttl, maxTtlMs));
    const granted = await store.grantLease(ttlMs);
    return { lease: granted.id, ttlMs: granted.ttlMs, own: true, warning: asked.ttl > maxTtlMs ? `ttl capped to ${formatDuration(maxTtlMs)} (${flag})` : undefined };
}
/** Gives back a lease granted for a write that then failed, so it does not linger until its ttl. */
export async function release(store, holding) {
    if (holding.own)
        await store.revokeLease(holding.lease).catch(() => { });
}
//# sourceMappingURL=request-body.js.map