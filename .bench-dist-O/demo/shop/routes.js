import { randomUUID } from 'node:crypto';
import express from 'express';
import { Agent, request } from 'undici';
/** Headers a call carries on to the next hop: who the customer is, the trace, and where the caller runs (for locality). */
const PROPAGATED = ['x-customer-id', 'traceparent', 'x-request-id'];
/**
 * Calls another shop service through this service's sidecar, by name. The
 * sidecar does the rest: discovery, balancing, retries, faults.
 */
function caller(me) {
    const agent = new Agent({ keepAliveTimeout: 30_000, connections: 64 });
    return async (from, service, method, path, body) => {
        const sidecar = me.sidecar();
        if (sidecar === undefined)
            return { status: 503, body: 'no sidecar yet' };
        const headers = { host: service, 'x-faultmesh-source-region': me.region, 'x-faultmesh-source-zone': me.zone };
        for (const h of PROPAGATED)
            if (typeof from.headers[h] === 'string')
                headers[h] = from.headers[h];
        if (body !== undefined)
            headers['content-type'] = 'application/json';
        const res = await request(new URL(path, sidecar), { method, headers, body: body === undefined ? undefined : JSON.stringify(body), dispatcher: agent, headersTimeout: 5000, bodyTimeout: 5000 });
        const text = await res.body.text();
        let json = text;
        try {
            json = JSON.parse(text);
        }
        catch {
            // Not JSON (a proxy's own error page, say): keep the text.
        }
        return { status: res.statusCode, body: json };
    };
}
const PRODUCTS = ['kettle', 'toaster', 'teapot', 'mug', 'grinder'];
/** A dependency that failed becomes a 502 that says which one and how. */
const failed = (res, service, reply) => res.status(502).json({ error: `${service} answered ${reply.status}`, detail: reply.body });
/** The shop's routes, by service. Each answers JSON and names the instance that served it. */
export function shopRoutes(me) {
    const router = express.Router();
    const call = caller(me);
    const served = { instance: me.id, region: me.region, version: me.version };
    router.get('/healthz', (_req, res) => void res.json({ ok: true, ...served }));
    switch (me.service) {
        case 'frontend':
            router.get('/product/:id', async (req, res) => {
                const item = await call(req, 'catalog', 'GET', `/items/${encodeURIComponent(req.params.id)}`);
                if (item.status !== 200)
                    return void failed(res, 'catalog', item);
                res.json({ product: item.body, ...served });
            });
            router.get('/buy', async (req, res) => {
                const id = String(req.query.item ?? '1');
                const item = await call(req, 'catalog', 'GET', `/items/${encodeURIComponent(id)}`);
                if (item.status !== 200)
                    return void failed(res, 'catalog', item);
                const order = await call(req, 'checkout', 'POST', '/orders', { item: id, price: item.body.price });
                if (order.status !== 201)
                    return void failed(res, 'checkout', order);
                res.json({ order: order.body, ...served });
            });
            break;
        case 'catalog': {
            // catalog v2 is the demo's bad release: every 10th item it serves fails with a 500. A counter, not a
            // random draw, so the canary sees the same 10% every run and its rollback verdict is stable.
            const failEvery = me.version === 'v2' ? 10 : 0;
            let items = 0;
            router.get('/items/:id', (req, res) => {
                items++;
                if (failEvery && items % failEvery === 0)
                    return void res.status(500).json({ error: 'catalog v2 failed to read the item (the demo\'s bad release)', ...served });
                const n = Number(req.params.id) || 1;
                res.json({ id: n, name: PRODUCTS[(n - 1) % PRODUCTS.length], price: 10 + n, ...served });
            });
            break;
        }
        case 'checkout':
            router.post('/orders', express.json(), async (req, res) => {
                const body = req.body;
                // The key makes a retried charge safe: payments charges each key once.
                const charge = await call(req, 'payments', 'POST', '/charge', { amount: body.price ?? 0, idempotencyKey: randomUUID() });
                if (charge.status !== 200)
                    return void failed(res, 'payments', charge);
                res.status(201).json({ item: body.item, charge: charge.body, ...served });
            });
            break;
        case 'payments': {
            const charged = new Map();
            // Who called, as payments' sidecar verified it from the caller's certificate (it overwrites any such header a client sent).
            const calledBy = (req) => req.get('x-faultmesh-source') ?? null;
            router.post('/charge', express.json(), (req, res) => {
                const { amount, idempotencyKey } = req.body;
                if (typeof idempotencyKey !== 'string')
                    return void res.status(400).json({ error: 'idempotencyKey is required' });
                const replay = charged.has(idempotencyKey);
                charged.set(idempotencyKey, amount ?? 0);
                if (charged.size > 10_000)
                    charged.delete(charged.keys().next().value);
                res.json({ charged: amount ?? 0, replay, calledBy: calledBy(req), ...served });
            });
            // A cheap read for the payments canary's own load: the load provider sends no JSON body, and /charge needs one.
            // v2 is the demo's good release: it answers as v1 does.
            router.get('/quote', (req, res) => {
                const amount = Number(req.query.amount);
                if (!Number.isFinite(amount) || amount < 0)
                    return void res.status(400).json({ error: 'amount is a number, 0 or more' });
                res.json({ amount, fee: Math.round(amount * 2.9 + 30) / 100, calledBy: calledBy(req), ...served });
            });
            break;
        }
        default:
            throw new Error(`no such shop service: ${me.service}`);
    }
    return router;
}
//# sourceMappingURL=routes.js.map