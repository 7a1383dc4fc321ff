import { Router } from 'express';
import { formatDuration } from '../../proxy/config/duration.js';
import { draftOfProxy, draftsOfPopulate, patchOfProxy } from '../../toxiproxy/input/proxy-input.js';
import { draftOfToxic, patchOfToxic } from '../../toxiproxy/input/toxic-input.js';
import { viewOfToxic } from '../../toxiproxy/model.js';
import { badRequestBody, proxyNotFound, toxicNotFound, ToxiproxyError } from '../../toxiproxy/toxiproxy-error.js';
import { StoreError } from '../store/store.js';
import * as change from '../toxiproxy/set-changes.js';
import { ToxiproxyStore } from '../toxiproxy/toxiproxy-store.js';
import { snapshotOf, viewOfStored } from '../toxiproxy/toxiproxy-set.js';
import { requireBearer } from './bearer.js';
const TOXIPROXY_TOKEN_REFUSAL = 'the toxiproxy set is what every faultmesh toxiproxy --control process serves: send Authorization: Bearer <control token> (faultmesh toxiproxy --control-token)';
/** The longest a GET /v1/toxiproxy?after= waits for a change before it answers the same set. */
export const MAX_WAIT_MS = 30_000;
/** Answers carry the set's revision, so a process can wait until it has applied its own write. */
export const REVISION_HEADER = 'x-faultmesh-toxiproxy-revision';
/**
 * The proxies and toxics of every `faultmesh toxiproxy --control` process:
 * Toxiproxy's resource routes under /v1/toxiproxy, with its bodies, status
 * codes and error bodies (plus `code`, `field` and `reason`, so a process
 * can place an error at a --config line), and GET /v1/toxiproxy for the
 * whole set, which with `?after=REVISION&wait=MS` waits for a change (the
 * processes long-poll it). The control plane's token, Host and Origin rules
 * apply as to every route, and GET /v1/toxiproxy asks for the token too, as
 * a proxy's stream does: it is the processes' feed, and a process started
 * with a wrong token learns it at start, not at its first change. Errors of
 * the store are the control plane's.
 */
export function toxiproxyControlRoutes(ctx, token) {
    const sets = new ToxiproxyStore(ctx.store, ctx.keys, ctx.now);
    const router = Router();
    const param = (req, name) => String(req.params[name]);
    const bodyOf = (req) => (req.body === undefined ? throwError(badRequestBody('EOF')) : req.body);
    /** A ttl the control plane would cap is refused instead: a toxic's end is shown, and must be the one asked for. */
    const ask = (ttlMs, proxy, toxic, at) => {
        if (ttlMs === undefined)
            return [];
        if (ttlMs > ctx.maxTtlMs)
            throw badRequestBody(`${formatDuration(ttlMs)} is longer than this control plane's leases may be (control --max-ttl ${formatDuration(ctx.maxTtlMs)})`, [...at, 'ttl']);
        return [{ ttlMs, proxy, toxic }];
    };
    const asksOf = (draft, at) => (draft.toxics ?? []).flatMap((t, i) => ask(t.ttlMs, draft.name, t.name, [...at, 'toxics', i]));
    /** 404 before the body is read, as Toxiproxy checks; the change checks again on the set it writes. */
    const exists = async (proxy, toxic) => {
        const { set } = await sets.read();
        const p = set.proxies.find((x) => x.name === proxy) ?? throwError(proxyNotFound());
        if (toxic !== undefined && !p.toxics.some((t) => t.spec.name === toxic))
            throw toxicNotFound();
    };
    const reply = (res, status, revision, body) => {
        res.setHeader(REVISION_HEADER, String(revision));
        if (body === undefined)
            res.status(status).end();
        else
            res.status(status).json(body);
    };
    // While a replica cannot reach etcd its reads are an old copy: a process would take it for the truth, so it is told to keep what it has.
    const refuseStale = (_req, _res, next) => {
        const state = ctx.health?.state;
        next(state && !state.ok ? new StoreError('UNAVAILABLE', `this control-plane replica cannot reach its store: ${state.error}`) : undefined);
    };
    router.use('/v1/toxiproxy', refuseStale);
    router.get('/v1/toxiproxy', requireBearer(token, TOXIPROXY_TOKEN_REFUSAL), async (req, res) => {
        const after = req.query.after === undefined ? undefined : Number(req.query.after);
        const waitMs = Math.min(MAX_WAIT_MS, Math.max(0, Number(req.query.wait ?? 0) || 0));
        let read = await sets.read();
        if (after !== undefined && read.revision === after && waitMs > 0)
            read = await waitForChange(sets, read, waitMs, res);
        if (!res.destroyed)
            reply(res, 200, read.revision, snapshotOf(read.set, read.revision, ctx.now()));
    });
    router.post('/v1/toxiproxy/proxies', async (req, res) => {
        const draft = draftOfProxy(bodyOf(req));
        const { answer, revision } = await sets.change(asksOf(draft, []), (set, take) => change.createProxy(set, draft, take));
        reply(res, 201, revision, viewOfStored(answer, ctx.now()));
    });
    router.post('/v1/toxiproxy/populate', async (req, res) => {
        const drafts = draftsOfPopulate(bodyOf(req));
        const { answer, revision } = await sets.change(drafts.flatMap((d, i) => asksOf(d, [i])), (set, take) => change.populate(set, drafts, take));
        reply(res, 201, revision, { proxies: answer.map((p) => viewOfStored(p, ctx.now())) });
    });
    const updateProxy = async (req, res) => {
        await exists(param(req, 'proxy'));
        const patch = patchOfProxy(bodyOf(req));
        const { answer, revision } = await sets.change([], (set) => change.updateProxy(set, param(req, 'proxy'), patch));
        reply(res, 200, revision, viewOfStored(answer, ctx.now()));
    };
    router.patch('/v1/toxiproxy/proxies/:proxy', updateProxy);
    router.post('/v1/toxiproxy/proxies/:proxy', updateProxy);
    router.delete('/v1/toxiproxy/proxies/:proxy', async (req, res) => {
        const { revision } = await sets.change([], (set) => change.removeProxy(set, param(req, 'proxy')));
        reply(res, 204, revision);
    });
    router.post('/v1/toxiproxy/proxies/:proxy/toxics', async (req, res) => {
        await exists(param(req, 'proxy'));
        const draft = draftOfToxic(bodyOf(req));
        const { answer, revision } = await sets.change(ask(draft.ttlMs, param(req, 'proxy'), draft.name, []), (set, take) => change.addToxic(set, param(req, 'proxy'), draft, take));
        reply(res, 200, revision, viewOfToxic(answer));
    });
    const updateToxic = async (req, res) => {
        await exists(param(req, 'proxy'), param(req, 'toxic'));
        const patch = patchOfToxic(bodyOf(req));
        const { answer, revision } = await sets.change(ask(patch.ttlMs, param(req, 'proxy'), param(req, 'toxic'), []), (set, take) => change.updateToxic(set, param(req, 'proxy'), param(req, 'toxic'), patch, take));
        reply(res, 200, revision, viewOfToxic(answer));
    };
    router.patch('/v1/toxiproxy/proxies/:proxy/toxics/:toxic', updateToxic);
    router.post('/v1/toxiproxy/proxies/:proxy/toxics/:toxic', updateToxic);
    router.delete('/v1/toxiproxy/proxies/:proxy/toxics/:toxic', async (req, res) => {
        const { revision } = await sets.change([], (set) => change.removeToxic(set, param(req, 'proxy'), param(req, 'toxic')));
        reply(res, 204, revision);
    });
    router.post('/v1/toxiproxy/reset', async (_req, res) => {
        const { revision } = await sets.change([], (set) => change.reset(set));
        reply(res, 204, revision);
    });
    router.use(sendToxiproxyChangeError);
    return router;
}
/** Toxiproxy's error body, with what a process needs to rebuild the error; anything else is the control plane's to answer. */
const sendToxiproxyChangeError = (err, _req, res, next) => {
    if (!(err instanceof ToxiproxyError))
        return next(err);
    res.status(err.status).json({ error: err.message, status: err.status, code: err.code, field: err.field, reason: err.reason });
};
/** Resolves with the set once its revision moved past `read`'s, or as it is after `ms`, or when the caller hung up. */
function waitForChange(sets, read, ms, res) {
    return new Promise((resolve) => {
        let latest = read;
        let done = false;
        const finish = () => {
            if (done)
                return;
            done = true;
            stop();
            clearTimeout(timer);
            res.off('close', finish);
            resolve(latest);
        };
        // A bound on an idle request, not a semantic time: the caller asks again.
        const timer = setTimeout(finish, ms);
        // Every write under the keys (a marker's lease ending among them) re-reads, which sweeps what ended.
        const stop = sets.watch(read.storeRevision, () => {
            if (done)
                return;
            sets.read().then((r) => {
                latest = r;
                if (r.revision !== read.revision)
                    finish();
            }, () => finish());
        }, finish);
        res.on('close', finish);
    });
}
const throwError = (err) => {
    throw err;
};
//# sourceMappingURL=toxiproxy-routes.js.map