import { checkDuration } from '../../proxy/config/duration.js';
import { faultRules } from './fault-block.js';
import { Fields } from './fields.js';
import { serviceOfHost } from './hosts.js';
import { disjoint } from './http-match.js';
import { readHttpRoute } from './http-route.js';
import { routesFor } from './vs-routes.js';
/** What the ids of a VirtualService's fault rules start with, before `-`: its name, cut to leave room for the suffixes. */
export const ruleIdStem = (name) => name.slice(0, 60);
/** Reads a VirtualService's spec into one entry per faultmesh service its hosts name. */
export function readVirtualService(spec, path, findings, ctx) {
    const f = Fields.of(spec, path, findings, 'VirtualService');
    if (!f)
        return [];
    const hosts = f.list('hosts') ?? [];
    const gateways = f.list('gateways');
    const http = f.list('http') ?? [];
    const exportTo = f.has('exportTo');
    f.accept('exportTo');
    f.finish({ tls: 'faultmesh routes HTTP only; TLS passthrough routes have no equivalent', tcp: 'faultmesh routes HTTP only; TCP routes have no equivalent' });
    if (exportTo && !ctx.faultsOnly)
        findings.caveat(f.at('exportTo'), 'faultmesh has no namespaces: the routes apply to every caller');
    if (gateways && !gateways.includes('mesh')) {
        findings.untranslated(f.at('gateways'), `this VirtualService applies only at gateways (${gateways.join(', ')}), not between services, and faultmesh has no gateways; left out`);
        return [];
    }
    if (gateways && gateways.length > 1 && !ctx.faultsOnly)
        findings.caveat(f.at('gateways'), 'only what applies between services (mesh) is translated; faultmesh has no gateways');
    if (hosts.length === 0)
        findings.untranslated(f.at('hosts'), 'a VirtualService without hosts is a delegate; faultmesh has none: write its routes into the VirtualService that delegates to it');
    const services = new Map();
    hosts.forEach((h, i) => {
        if (typeof h !== 'string')
            return void findings.invalid([...f.at('hosts'), i], 'hosts are strings');
        const s = serviceOfHost(h, ctx.hosts);
        if (!s.ok)
            findings.untranslated([...f.at('hosts'), i], `${s.message}; this host is left out`);
        else if (!services.has(s.service))
            services.set(s.service, [...f.at('hosts'), i]);
    });
    const routes = liveRoutes(http, f.at('http'), findings, ctx.faultsOnly);
    warnFaultOrder(routes, findings);
    const width = String(Math.max(0, http.length - 1)).length;
    const faults = routes.map((r) => ({ r, rules: r.route.fault ? faultRules(r.route.fault.actions, r.route.matches, { target: '', faultPath: r.route.fault.path, matchPath: [...r.route.path, 'match'] }, findings) : [] }));
    const { timeoutMs, retries } = ctx.faultsOnly ? {} : servicePolicy(routes.map((r) => r.route), findings);
    warnFaultsInsidePolicy(routes, timeoutMs, retries, findings);
    return [...services].map(([service, hostPath]) => {
        const prefix = `${ruleIdStem(ctx.name)}${services.size > 1 ? `-${service.slice(0, 30)}` : ''}`;
        const rules = faults.flatMap(({ r, rules: parts }) => parts.map((rule) => ({ rule: { ...rule, id: `${prefix}-${String(r.index).padStart(width, '0')}${rule.id ?? ''}`, target: service }, path: r.route.fault.path })));
        const out = ctx.faultsOnly ? [] : routesFor(service, routes, [...f.at('http')], findings, ctx);
        return { service, hostPath, routes: out, ...(timeoutMs !== undefined ? { timeoutMs } : {}), ...(retries ? { retries } : {}), rules };
    });
}
/** The routes Istio can reach: those before (and including) the first that takes every request. */
function liveRoutes(http, path, findings, faultsOnly) {
    const live = [];
    let takenBy;
    http.forEach((raw, index) => {
        const at = [...path, index];
        if (takenBy !== undefined)
            return void findings.caveat(at, `never reached in Istio: http[${takenBy}] takes every request first; left out`);
        const route = readHttpRoute(raw, at, findings, faultsOnly);
        if (!route)
            return;
        live.push({ index, route });
        if (route.matches.takesAll)
            takenBy = index;
    });
    return live;
}
/**
 * Istio gives a route's fault only to requests no earlier route took; a
 * faultmesh rule cannot say "unless an earlier route matched". Warned where
 * an earlier route may take some of the same requests.
 */
function warnFaultOrder(routes, findings) {
    routes.forEach(({ route }, k) => {
        if (!route.fault)
            return;
        const earlier = routes.slice(0, k).filter(({ route: e }) => e.matches.dropped > 0 || e.matches.blocks.some((a) => route.matches.blocks.some((b) => !disjoint(a.match, b.match))));
        if (earlier.length === 0)
            return;
        const names = earlier.map((e) => `http[${e.index}]`).join(', ');
        findings.caveat(route.fault.path, `Istio gives this fault only to requests that ${names} did not take first; a faultmesh fault rule holds whatever the route, so requests ${names} also match get it too: narrow this route's match to exclude them`);
    });
}
/**
 * Timeout and retries are per route in Istio, per service in faultmesh: the
 * one value the routes give is the service's; where they differ, the first
 * is kept and the others named as left out.
 */
function servicePolicy(routes, findings) {
    const pick = (what, values, show) => {
        const given = values.filter((v) => v !== undefined);
        const first = given[0];
        if (!first)
            return undefined;
        const key = JSON.stringify(first.value);
        for (const other of given.slice(1)) {
            if (JSON.stringify(other.value) !== key)
                findings.untranslated(other.path, `faultmesh has one ${what} per service, not per route: ${show(first.value)} (written first) holds for every route, so this one is left out`);
        }
        if (given.length < values.length)
            findings.caveat(first.path, `faultmesh has one ${what} per service: this one also holds for the routes that set none (in Istio they have ${what === 'timeout' ? 'none' : 'the default: 2 attempts on connect-failure'})`);
        return first.value;
    };
    const timeoutMs = pick('timeout', routes.map((r) => r.timeout && { value: r.timeout.ms, path: r.timeout.path }), (ms) => `${ms}ms`);
    const retries = pick('retry policy', routes.map((r) => r.retries), (r) => `${r.attempts} attempts`);
    const perTry = retries?.perTryTimeout === undefined ? undefined : checkDuration(retries.perTryTimeout);
    if (retries && perTry?.ok && timeoutMs !== undefined && perTry.ms > timeoutMs) {
        const { perTryTimeout: _drop, ...rest } = retries;
        findings.caveat(routes.find((r) => r.retries).retries.path, 'perTryTimeout is longer than the timeout, so it could never end a try; left out');
        return { timeoutMs, retries: rest };
    }
    return { ...(timeoutMs !== undefined ? { timeoutMs } : {}), ...(retries ? { retries } : {}) };
}
/**
 * faultmesh injects faults per attempt, inside the timeouts and retries;
 * Envoy's fault filter acts before its router's. Said where the difference
 * shows: an abort the retry policy retries (callers see it less often), a
 * delay as long as a timeout (the request times out instead of arriving late).
 */
function warnFaultsInsidePolicy(routes, timeoutMs, retries, findings) {
    const perTry = retries?.perTryTimeout === undefined ? undefined : checkDuration(retries.perTryTimeout);
    const limit = Math.min(timeoutMs ?? Infinity, perTry?.ok ? perTry.ms : Infinity);
    for (const { route } of routes) {
        const { abort, delay } = route.fault?.actions ?? {};
        if (delay && delay.ms >= limit) {
            findings.caveat([...route.fault.path, 'delay'], `faultmesh counts an injected delay against the service's timeouts, as a slow instance's: a ${delay.ms}ms delay ends in a timeout (504) after ${limit}ms, where Envoy delays before its timeout starts`);
        }
        if (!abort || !retries || retries.attempts === 0)
            continue;
        const on = retries.retryOn;
        const retried = (on.includes('5xx') && abort.status >= 500) || (on.includes('gateway-error') && abort.status >= 502 && abort.status <= 504) || (on.includes('retriable-status-codes') && (retries.statusCodes ?? []).includes(abort.status));
        if (retried)
            findings.caveat([...route.fault.path, 'abort'], `faultmesh injects faults on each attempt, and this service's retry policy retries a ${abort.status}: a caller sees the abort only when every attempt is hit, less often than its percentage (Envoy aborts before retrying)`);
    }
}
//# sourceMappingURL=virtual-service.js.map