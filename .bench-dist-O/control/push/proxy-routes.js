import { Router } from 'express';
import { z } from 'zod';
import { ControlError } from '../api/control-error.js';
import { requireBearer } from '../api/bearer.js';
import { ackBody, check, reportBody } from './proxy-messages.js';
const NAME = /^[A-Za-z0-9]([A-Za-z0-9-_.]*[A-Za-z0-9])?$/;
const id = z.string().regex(NAME, 'proxy ids: letters, digits, "-", "_" and "."').max(200);
const short = z.string().max(200).optional();
const streamQuery = z.object({
    id,
    service: z.string().max(200).default(''),
    region: short,
    zone: short,
    admin: z
        .string()
        .max(2000)
        .refine((u) => /^https?:\/\/[^/]+\/?$/.test(u), 'admin is the proxy admin API base URL, http://host:port')
        .optional(),
    applied: z.coerce.number().int().min(0).default(0),
});
function parse(schema, data, what) {
    const checked = check(schema, data);
    if (checked.ok)
        return checked.value;
    throw new ControlError('INVALID_REQUEST', 400, `${what} refused`, checked.errors);
}
/**
 * What proxies call: their stream (token required even though it is a GET:
 * it carries the desired state), and one POST per acknowledgement or report.
 * A proxy sends those on its channel (proxy-channel.ts) instead; the POSTs
 * stay for light clients and for a proxy whose channel cannot open.
 */
export function proxyRoutes(deps) {
    const router = Router();
    router.get('/v1/stream', requireBearer(deps.token), async (req, res) => {
        const q = parse(streamQuery, req.query, 'stream parameters');
        // A proxy moving from another replica may have a version this one has not built yet (its watch is a few ms behind): wait for it, so it is never sent back in time.
        if (deps.catchUpMs && q.applied > deps.desired.current.version)
            await deps.desired.waitForVersion(q.applied, deps.catchUpMs);
        deps.hub.attach(res, { id: q.id, service: q.service, region: q.region, zone: q.zone, admin: q.admin }, q.applied);
    });
    router.post('/v1/proxies/:id/ack', (req, res) => {
        const ack = parse(ackBody, req.body, 'acknowledgement');
        if (!deps.observed.ack(req.params.id, { version: ack.version, applied: ack.applied, reason: ack.applied ? undefined : ack.reason }))
            throw notConnected(req.params.id);
        replyOk(res);
    });
    router.post('/v1/proxies/:id/report', (req, res) => {
        const report = parse(reportBody, req.body, 'report');
        if (!deps.observed.report(req.params.id, report))
            throw notConnected(req.params.id);
        replyOk(res);
    });
    return router;
}
/**
 * The answer to an ack or a report, written as it is: every proxy sends one
 * ack per version and a report every 2 s, and res.json's ETag hash and
 * header work were a measurable part of the control plane's cost per ack
 * (npm run bench:control).
 */
const OK = '{"ok":true}';
const replyOk = (res) => void res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': OK.length }).end(OK);
export const notConnected = (id) => new ControlError('PROXY_NOT_FOUND', 404, `no proxy "${id}" has a stream open on this control plane: open /v1/stream first`);
//# sourceMappingURL=proxy-routes.js.map