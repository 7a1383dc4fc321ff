import { Router } from 'express';
import { z } from 'zod';
import { jsonBodies } from '../../proxy/admin/json-body.js';
import { serviceNameSchema } from '../../proxy/config/mesh-schema.js';
import { issueCertificate, IssuanceError } from '../ca/issuance.js';
import { ControlError } from './control-error.js';
import { parseBody } from './request-body.js';
// csr.ts's own bound, restated: importing it would load the X.509 library into every control plane, CA or not.
const MAX_CSR_BYTES = 16 * 1024;
const certificateSchema = z.strictObject({
    service: serviceNameSchema,
    csr: z.string().max(MAX_CSR_BYTES, `a certificate request is at most ${MAX_CSR_BYTES} bytes`),
});
/** The join token of `Authorization: Bearer TOKEN`; the scheme is case-insensitive (RFC 9110). */
const bearerOf = (header) => /^bearer[ \t]+(.+)$/i.exec(header ?? '')?.[1]?.trim() ?? '';
/** The 501 of a control plane started without --ca-dir. */
export const noCa = () => new ControlError('NO_CA', 501, 'this control plane has no certificate authority: start faultmesh control with --ca-dir DIR (every replica with the same DIR)');
/**
 * POST /v1/certificates: a proxy's enrollment and each of its renewals.
 * Mounted before the control token's guard, since a proxy shows its join
 * token instead (checked here, on the store itself, never from a stale
 * copy: a revoked token must stop working everywhere at once).
 * `{service, csr}` → `{certificate, chain, trustBundle, spiffeId, notAfter, serial}`.
 */
export function certificateRoutes({ issuance, metrics }) {
    const router = Router();
    // A CSR is under 1 KiB; nothing bigger is read.
    router.post('/v1/certificates', jsonBodies('64kb'), async (req, res) => {
        if (!issuance) {
            metrics.certificatesRefused.labels('NO_CA').inc();
            throw noCa();
        }
        const bearer = bearerOf(req.headers.authorization);
        if (!bearer) {
            metrics.certificatesRefused.labels('TOKEN_UNKNOWN').inc();
            throw new ControlError('TOKEN_UNKNOWN', 401, 'send Authorization: Bearer <join token> (from faultmesh ca token create)');
        }
        const body = parseBody(certificateSchema, req.body, 'certificate request ({"service": "...", "csr": "-----BEGIN CERTIFICATE REQUEST-----..."})');
        try {
            res.json(await issueCertificate(issuance, { bearer, service: body.service, csr: body.csr }));
        }
        catch (err) {
            if (err instanceof IssuanceError)
                throw new ControlError(err.code, err.status, err.message);
            throw err;
        }
    });
    return router;
}
//# sourceMappingURL=ca-routes.js.map