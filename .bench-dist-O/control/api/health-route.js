import { Router } from 'express';
/**
 * GET /healthz, shaped like a proxy's so the FaultLedger reads it unchanged:
 * `startedAt` changes when the store's leases were lost (a memory control
 * plane restarting, a new etcd: replica/epoch.ts), `halted` says whether a
 * loss is a halt.
 */
export function healthRoute(ctx, startedAt, processStartedAt) {
    const router = Router();
    router.get('/healthz', async (_req, res) => {
        const d = ctx.desired.current;
        const store = ctx.health?.state;
        // A replica that cannot reach its store says so with 503 (a load balancer's or Kubernetes' readiness takes it out) and answers from what it saw last.
        // The halt as the store says, or as last seen when the store does not answer (the probe notices within two seconds).
        const halted = store && !store.ok ? d.halt !== undefined : await haltIn(ctx, d.halt !== undefined);
        res.status(store && !store.ok ? 503 : 200).json({
            status: store && !store.ok ? 'store unavailable' : halted ? 'halted' : 'ok',
            role: 'control',
            halted,
            activeFaults: d.faults.length,
            version: d.version,
            meshVersion: d.mesh?.version ?? null,
            proxies: ctx.observed.connectedCount(),
            ...(store && !store.ok ? { storeError: store.error, storeUnavailableSince: new Date(store.since).toISOString() } : ctx.desired.lastError ? { storeError: ctx.desired.lastError } : {}),
            ...(ctx.publishError?.() ? { publishError: ctx.publishError() } : {}),
            startedAt,
            uptimeSeconds: Math.round((ctx.now() - processStartedAt.getTime()) / 1000),
        });
    });
    return router;
}
/** Load balancers probe /healthz with short timeouts: a store that has gone silent (not yet noticed by the probe) gets a second, then the halt as last seen. */
const HALT_READ_MS = 1_000;
async function haltIn(ctx, lastSeen) {
    let timer;
    const late = new Promise((resolve) => (timer = setTimeout(() => resolve(lastSeen), HALT_READ_MS)));
    try {
        return await Promise.race([ctx.store.get(ctx.keys.halt).then((kv) => kv !== undefined, () => lastSeen), late]);
    }
    finally {
        clearTimeout(timer);
    }
}
//# sourceMappingURL=health-route.js.map