import { setTimer } from '../config/duration.js';
import { missingHost, noInstance, notReady, ProxyError, requestTimeout, routeDenied, tlsUnsupported, toProxyError, unknownService, upgradeWithBody, upstreamFailure } from '../errors.js';
import { answerAndClose } from '../http/error-response.js';
import { prepareUpgradeHeaders } from '../http/headers.js';
import { hasBody } from '../http/request-body.js';
import { sourceOf } from '../http/proxy-server.js';
import { parseRequestTarget } from '../http/request-target.js';
import { traceContextOf } from '../http/trace-context.js';
import { callerOf } from '../layers/choose-instance.js';
import { classify } from '../resilience/classify.js';
import { observeLatency } from '../resilience/peak-ewma.js';
import { createHpmUpgrader } from './hpm-upgrade.js';
import { applyUpgradeFault, upgradeRuleFor } from './upgrade-faults.js';
import { UpgradeExchange } from './upgrade-exchange.js';
import { createUpgradeRecorder } from './upgrade-record.js';
/** How long a refused client may take to read its answer before its socket is destroyed. */
const REFUSED_LINGER_MS = 1000;
/**
 * Proxies connection upgrades (WebSocket, and any other `Upgrade` sent
 * without a body) on the data-plane listener. Each upgrade is resolved and
 * routed as the stack does a request (service, route, subset, instance),
 * then meets the fault rules aimed at it, at its handshake: abort answers
 * the rule's status, delay waits first (bounded by the timeout, ended if
 * the client goes), reset and an ended hang cut the socket. What passes is
 * handed to http-proxy-middleware's `ws` support (hpm-upgrade.ts). Errors
 * are answered as on the HTTP path: JSON with `x-faultmesh-error`.
 *
 * @example attachUpgrades(proxy.server, { table: mesh.table, store, metrics, log: logger });
 */
export function attachUpgrades(server, deps) {
    const forwarder = createHpmUpgrader();
    const record = createUpgradeRecorder(deps.metrics, deps.log);
    const now = deps.now ?? Date.now;
    const home = deps.home ?? { region: undefined, zone: undefined };
    const open = new Set();
    const handle = async (req, socket, head) => {
        const target = parseRequestTarget(req);
        if (target instanceof ProxyError) {
            // Before anything else, as on the HTTP path: an ambiguous destination must not be routed.
            answerAndClose(socket, target, REFUSED_LINGER_MS, { requestId: traceContextOf(req.headers).requestId });
            return;
        }
        req.url = target.url;
        const source = sourceOf(req, deps.service, deps.identityService);
        const protocol = String(req.headers.upgrade ?? '').toLowerCase();
        const ex = new UpgradeExchange(req, socket, req.method ?? 'GET', target.service, target.path, source, traceContextOf(req.headers), protocol);
        let cancel;
        let deadline;
        socket.once('close', () => {
            clearTimeout(deadline);
            if (ex.endpoint)
                ex.endpoint.load.active--;
            if (ex.state === 'pending') {
                // The client left before any answer: nothing said about the instance.
                cancel?.();
                if (!ex.classification)
                    ex.flags.push('CLIENT_ABORTED');
                ex.classification ??= { kind: 'cancelled' };
            }
            record.handshake(ex);
            record.closed(ex);
        });
        // Node hands over an upgrade before reading any body: one sent with it would be read as the upgraded stream.
        const refused = hasBody(req) ? upgradeWithBody() : choose(ex, deps.table(), home);
        if (refused)
            return refuse(ex, refused, record, now);
        const endpoint = ex.endpoint;
        endpoint.load.active++;
        endpoint.load.requests++;
        // One deadline for the whole handshake, a delay fault's wait included, as a call's timeout covers its attempts.
        const ms = ex.service.policy.timeout ?? deps.timeoutMs ?? 15_000;
        deadline = setTimer(() => {
            // A hang promises no answer at all; the client's own timeout ends it.
            if (ex.state !== 'pending' || ex.fault?.kinds.includes('hang'))
                return;
            cancel?.();
            refuse(ex, requestTimeout(ms, 1, endpoint.id), record, now);
        }, ms);
        const rule = upgradeRuleFor(ex, deps.store, now(), deps.table().customerHeader);
        if (rule) {
            const verdict = await applyUpgradeFault(ex, rule, { maxHangMs: deps.maxHangMs ?? 300_000, onInjected: (kind) => deps.metrics.faultsInjected.labels(kind, ex.service.name).inc() });
            // The client left during a wait, or the deadline answered it: the socket's close handler records it.
            if (ex.state !== 'pending' || socket.destroyed)
                return;
            if (verdict.kind === 'error')
                return refuse(ex, verdict.error, record, now);
            if (verdict.kind === 'drop')
                return cut(ex, verdict.reason, record, now);
        }
        if (ex.state !== 'pending' || socket.destroyed)
            return;
        prepareUpgradeHeaders(req, ex.trace);
        cancel = forwarder.pass(ex, head, handshakeEvents(ex, record, now));
    };
    server.on('upgrade', (req, socket, head) => {
        // A client that vanishes must not take the proxy down; http-proxy adds its own handlers later.
        socket.on('error', () => socket.destroy());
        open.add(socket);
        socket.once('close', () => open.delete(socket));
        handle(req, socket, head).catch((err) => {
            if (socket.destroyed)
                return;
            answerAndClose(socket, toProxyError(err), REFUSED_LINGER_MS);
        });
    });
    // Node forgets a socket once it is upgraded: the drain's closeAllConnections
    // (proxy-server.ts) would leave these open, and server.close() would then
    // wait on them for ever. Cutting them there makes "cut what is left" true.
    const closeAll = server.closeAllConnections.bind(server);
    server.closeAllConnections = () => {
        closeAll();
        for (const socket of open)
            socket.destroy();
    };
    return { open: () => open.size };
}
/** Resolves, routes and picks the instance, as resolve-service.ts, route.ts and choose-instance.ts do; the error that answers otherwise. */
function choose(ex, table, home) {
    if (ex.destination === '')
        return missingHost();
    const service = table.services.get(ex.destination);
    if (!service)
        return table.notReady === undefined ? unknownService(ex.destination) : notReady(table.notReady);
    ex.service = service;
    // http-proxy's ws path has no connector of ours: refused plainly rather than sent in clear to an mTLS listener.
    if (service.config.tls === 'mutual')
        return tlsUnsupported(service.name, 'connection upgrades (WebSocket)', 'send this traffic without Upgrade, or set tls: off on the service while it needs upgrades');
    const decision = service.decide(ex);
    ex.route = decision.route;
    if (decision.action.kind === 'deny')
        return routeDenied(service.name, decision.action.status, decision.route ?? -1);
    const endpoint = decision.action.split.draw()?.pick(callerOf(ex, home), undefined);
    if (!endpoint)
        return noInstance(ex.destination, ex.route === undefined ? '' : `route ${ex.route}`);
    ex.endpoint = endpoint;
    return undefined;
}
/** The upstream's side of the handshake, as hpm-upgrade.ts reports it. */
function handshakeEvents(ex, record, now) {
    return {
        answered(status, headers) {
            if (!ex.answer('upstream', status)) {
                // Answered already (a timeout raced it): a second head would corrupt the first.
                ex.socket.destroy();
                return;
            }
            if (headers['x-request-id'] === undefined)
                headers['x-request-id'] = ex.trace.requestId;
            if (ex.fault)
                headers['x-faultmesh-fault'] = ex.fault.rule;
            judge(ex, status >= 500 ? { kind: 'failure', status } : { kind: 'success', status }, now);
            record.handshake(ex);
        },
        failed(err) {
            const error = upstreamFailure(ex.endpoint.id, err);
            if (ex.state === 'pending')
                refuse(ex, error, record, now);
            else if (ex.state === 'upstream') {
                ex.flags.push(error.code);
                ex.socket.destroy();
            }
        },
    };
}
/** The proxy answers the handshake itself: the error's status and JSON (or an abort rule's own reply), then close. */
function refuse(ex, error, record, now) {
    if (!ex.answer('proxy', error.status))
        return;
    ex.error = error;
    judge(ex, classify({ kind: 'error', error }), now);
    record.handshake(ex);
    if (!ex.socket.destroyed)
        answerAndClose(ex.socket, error, REFUSED_LINGER_MS, { requestId: ex.trace.requestId, faultRule: ex.fault?.rule });
}
/** The connection closes with no answer at all (a reset fault, an ended hang). */
function cut(ex, reason, record, now) {
    ex.flags.push(reason);
    const outcome = { kind: 'drop', reason };
    judge(ex, classify(outcome), now);
    record.handshake(ex);
    ex.socket.destroy();
}
/** Tells outlier detection and the latency average how the handshake went, as choose-instance.ts does for an attempt. */
function judge(ex, c, now) {
    ex.classification = c;
    const endpoint = ex.endpoint;
    // Refused before an instance was chosen (unknown service, a denied route): nothing to say of one.
    if (!endpoint)
        return;
    const latencyMs = (ex.answeredAfter ?? ex.elapsedSeconds()) * 1000;
    if (c.kind === 'failure' || c.kind === 'timeout' || c.kind === 'reset')
        endpoint.load.failures++;
    ex.service.detector.record(endpoint, c, latencyMs);
    if (c.kind === 'success' || c.kind === 'failure' || c.kind === 'timeout')
        observeLatency(endpoint.health, latencyMs, now());
}
//# sourceMappingURL=upgrade.js.map