import { Router } from 'express';
import { parseJsonBody } from '../input/decode.js';
import { draftOfProxy, draftsOfPopulate, patchOfProxy } from '../input/proxy-input.js';
import { draftOfToxic, patchOfToxic } from '../input/toxic-input.js';
import { ToxiproxyError } from '../toxiproxy-error.js';
/** The JSON of the request body (400 `bad request body:` when there is none or it is not JSON). */
const bodyOf = (req) => parseJsonBody(Buffer.isBuffer(req.body) ? req.body : undefined);
/** A JSON answer; Toxiproxy writes every one compact, as express does. */
const reply = (res, status, body) => res.status(status).json(body);
/** A method the route does not have: gorilla/mux's 405, with a body in Toxiproxy's shape. */
const notAllowed = (req) => {
    throw new ToxiproxyError('METHOD_NOT_ALLOWED', 405, `method ${req.method} not allowed on ${req.path}`);
};
/**
 * Toxiproxy's resource routes (api.go Routes), each in its handler's order
 * of checks: the proxy (404), then the toxic (404), then the body (400),
 * then the change (409, 500). Updates take PATCH and, as older clients
 * send them, POST.
 */
export function toxiproxyRoutes(registry) {
    const router = Router();
    const param = (req, name) => String(req.params[name]);
    router
        .route('/proxies')
        .get(async (_req, res) => {
        reply(res, 200, Object.fromEntries((await registry.proxies()).map((p) => [p.name, p])));
    })
        .post(async (req, res) => {
        reply(res, 201, await registry.createProxy(draftOfProxy(bodyOf(req))));
    })
        .all(notAllowed);
    router
        .route('/populate')
        .post(async (req, res) => {
        reply(res, 201, { proxies: await registry.populate(draftsOfPopulate(bodyOf(req))) });
    })
        .all(notAllowed);
    const updateProxy = async (req, res) => {
        await registry.proxy(param(req, 'proxy'));
        reply(res, 200, await registry.updateProxy(param(req, 'proxy'), patchOfProxy(bodyOf(req))));
    };
    router
        .route('/proxies/:proxy')
        .get(async (req, res) => {
        reply(res, 200, await registry.proxy(param(req, 'proxy')));
    })
        .post(updateProxy)
        .patch(updateProxy)
        .delete(async (req, res) => {
        await registry.removeProxy(param(req, 'proxy'));
        res.status(204).end();
    })
        .all(notAllowed);
    router
        .route('/proxies/:proxy/toxics')
        .get(async (req, res) => {
        reply(res, 200, await registry.toxics(param(req, 'proxy')));
    })
        // 200, not 201: what Toxiproxy answers a new toxic with.
        .post(async (req, res) => {
        await registry.proxy(param(req, 'proxy'));
        reply(res, 200, await registry.addToxic(param(req, 'proxy'), draftOfToxic(bodyOf(req))));
    })
        .all(notAllowed);
    const updateToxic = async (req, res) => {
        await registry.toxic(param(req, 'proxy'), param(req, 'toxic'));
        reply(res, 200, await registry.updateToxic(param(req, 'proxy'), param(req, 'toxic'), patchOfToxic(bodyOf(req))));
    };
    router
        .route('/proxies/:proxy/toxics/:toxic')
        .get(async (req, res) => {
        reply(res, 200, await registry.toxic(param(req, 'proxy'), param(req, 'toxic')));
    })
        .post(updateToxic)
        .patch(updateToxic)
        .delete(async (req, res) => {
        await registry.removeToxic(param(req, 'proxy'), param(req, 'toxic'));
        res.status(204).end();
    })
        .all(notAllowed);
    router
        .route('/reset')
        .post(async (_req, res) => {
        await registry.reset();
        res.status(204).end();
    })
        .all(notAllowed);
    return router;
}
//# sourceMappingURL=routes.js.map