import { Fields } from './fields.js';
import { faultmeshDuration, parseIstioDuration } from './go-duration.js';
const SIMPLE = { ROUND_ROBIN: 'round-robin', LEAST_REQUEST: 'least-request', LEAST_CONN: 'least-request', RANDOM: 'round-robin', UNSPECIFIED: undefined };
/** Reads a TrafficPolicy (a DestinationRule's, or one of its subsets'). */
export function readTrafficPolicy(value, path, findings) {
    const f = Fields.of(value, path, findings, 'TrafficPolicy');
    const parts = {};
    if (!f)
        return parts;
    const lb = f.object('loadBalancer', 'LoadBalancerSettings');
    if (lb)
        readLoadBalancer(lb, parts);
    const od = f.object('outlierDetection', 'OutlierDetection');
    if (od)
        parts.outlierDetection = { value: readOutlier(od), path: od.path };
    const tls = f.object('tls', 'ClientTLSSettings');
    if (tls)
        readTls(tls, parts);
    const budget = f.object('retryBudget', 'RetryBudget');
    if (budget)
        readBudget(budget, parts);
    const pool = f.object('connectionPool', 'ConnectionPoolSettings');
    if (pool)
        readConnectionPool(pool);
    f.finish({
        portLevelSettings: 'faultmesh instances have one address, so there are no per-port settings; move them to trafficPolicy to apply them to the service',
        tunnel: 'faultmesh does not tunnel connections',
        proxyProtocol: 'faultmesh does not send the PROXY protocol to instances',
    });
    return parts;
}
function readLoadBalancer(f, parts) {
    const simple = f.string('simple');
    if (simple !== undefined) {
        if (!(simple in SIMPLE) && simple !== 'PASSTHROUGH')
            f.findings.invalid(f.at('simple'), `simple is one of ROUND_ROBIN, LEAST_REQUEST, RANDOM, PASSTHROUGH, UNSPECIFIED, not "${simple}"`);
        else if (simple === 'PASSTHROUGH')
            f.findings.untranslated(f.at('simple'), 'faultmesh always balances over the instances it knows; there is no pass-through to the original address');
        else if (SIMPLE[simple])
            parts.loadBalancer = { value: SIMPLE[simple], path: f.at('simple') };
        if (simple === 'RANDOM')
            f.findings.caveat(f.at('simple'), 'faultmesh has no random balancer; written as round-robin, which spreads load as evenly (peak-ewma also avoids slow instances)');
    }
    const locality = f.object('localityLbSetting', 'LocalityLoadBalancerSetting');
    if (locality) {
        // Turned off, it is faultmesh's default (prefer: none); anything else is a placement faultmesh says its own way.
        if (locality.boolean('enabled') !== false)
            f.findings.untranslated(f.at('localityLbSetting'), 'faultmesh prefers instances in the caller\'s zone or region (policy.locality: { prefer: zone, failoverBelowHealthy: 70% }) rather than by locality weights; set that by hand', true);
        locality.accept(...Object.keys(locality.value));
    }
    f.finish({
        consistentHash: 'faultmesh has no session affinity (hashing); requests are spread by the balancer. To keep a user on one version, route on a header to a subset instead',
        zoneAwareLbSetting: "faultmesh prefers instances in the caller's zone or region with policy.locality; set that by hand",
        warmupDurationSecs: 'faultmesh gives a new instance its full share at once (no warm-up)',
        warmup: 'faultmesh gives a new instance its full share at once (no warm-up)',
    });
}
/**
 * OutlierDetection with Istio's defaults written out where faultmesh's
 * differ: consecutiveGatewayErrors off, maxEjectionPercent 10.
 */
function readOutlier(f) {
    const count = (key) => {
        const n = f.number(key);
        if (n !== undefined && (!Number.isInteger(n) || n < 0))
            return void f.findings.invalid(f.at(key), `${key} is a whole number, 0 or more`);
        return n;
    };
    const c5xx = count('consecutive5xxErrors');
    const gateway = count('consecutiveGatewayErrors');
    const legacy = count('consecutiveErrors');
    if (legacy !== undefined)
        f.findings.caveat(f.at('consecutiveErrors'), 'consecutiveErrors is deprecated; Istio counted 502, 503 and 504 with it, so it is written as consecutiveGatewayErrors');
    const base = f.has('baseEjectionTime') ? parseIstioDuration(f.raw('baseEjectionTime')) : undefined;
    if (base && !base.ok)
        f.findings.invalid(f.at('baseEjectionTime'), base.message);
    const maxPercent = count('maxEjectionPercent');
    if (maxPercent !== undefined && maxPercent > 100)
        f.findings.invalid(f.at('maxEjectionPercent'), 'maxEjectionPercent is 0 to 100');
    if (f.has('interval')) {
        const interval = parseIstioDuration(f.raw('interval'));
        if (!interval.ok)
            f.findings.invalid(f.at('interval'), interval.message);
        else
            f.findings.caveat(f.at('interval'), 'faultmesh ejects on the error that completes a run and returns an instance when its time is up, with no sweep interval; left out');
    }
    const minHealth = count('minHealthPercent');
    if (minHealth !== undefined && minHealth > 0)
        f.findings.untranslated(f.at('minHealthPercent'), 'faultmesh never stops outlier detection below a share of healthy instances; maxEjectionPercent bounds how many are out', true);
    if (f.boolean('splitExternalLocalOriginErrors') === true)
        f.findings.untranslated(f.at('splitExternalLocalOriginErrors'), 'faultmesh counts connection failures and 5xx answers together (consecutive5xx, consecutiveGatewayErrors)', true);
    f.finish({
        consecutiveLocalOriginFailures: 'faultmesh counts connection failures and 5xx answers together (consecutive5xx, consecutiveGatewayErrors)',
        outlierDetectionHttpErrorCodes: 'faultmesh counts 5xx answers (consecutive5xx) and 502-504 (consecutiveGatewayErrors), not chosen statuses',
    });
    return {
        enabled: true,
        consecutive5xx: c5xx ?? (legacy !== undefined ? 0 : 5),
        consecutiveGatewayErrors: gateway ?? legacy ?? 0,
        ...(base?.ok && base.ms > 0 ? { baseEjectionTime: faultmeshDuration(base.ms) } : {}),
        maxEjectionPercent: maxPercent !== undefined && maxPercent <= 100 ? maxPercent : 10,
    };
}
function readTls(f, parts) {
    const mode = f.string('mode');
    if (mode === 'ISTIO_MUTUAL') {
        parts.tls = { value: 'mutual', path: f.at('mode') };
        f.findings.caveat(f.at('mode'), "written as tls: mutual: callers reach the service's instances through their inbound sidecars over faultmesh's own mTLS, so every proxy needs an identity (faultmesh ca, or a control plane with --ca-dir)");
    }
    else if (mode === 'DISABLE')
        parts.tls = { value: 'off', path: f.at('mode') };
    else if (mode === 'SIMPLE' || mode === 'MUTUAL')
        f.findings.untranslated(f.at('mode'), `faultmesh originates TLS only as its own mTLS between sidecars (tls: mutual, identities from faultmesh's CA), not ${mode} TLS with certificates of your own`);
    else if (mode !== undefined)
        f.findings.invalid(f.at('mode'), `mode is DISABLE, SIMPLE, MUTUAL or ISTIO_MUTUAL, not "${mode}"`);
    f.finish(Object.fromEntries(['clientCertificate', 'privateKey', 'caCertificates', 'credentialName', 'subjectAltNames', 'sni', 'insecureSkipVerify', 'caCrl'].map((k) => [k, "faultmesh's mTLS uses identities from its own CA, so certificate settings have no place"])));
}
function readBudget(f, parts) {
    const percent = f.number('percent');
    if (percent !== undefined && (percent < 0 || percent > 100))
        f.findings.invalid(f.at('percent'), 'percent is 0 to 100');
    else if (percent !== undefined) {
        parts.budgetPercent = { value: percent, path: f.at('percent') };
        f.findings.caveat(f.at('percent'), "Istio's budget caps retries in flight at a share of active requests; faultmesh's (policy.retries.budget.percent) caps retries at a share of requests over 10 s");
    }
    if (f.has('minRetryConcurrency')) {
        f.accept('minRetryConcurrency');
        f.findings.caveat(f.at('minRetryConcurrency'), 'faultmesh reserves retries per second (budget.minPerSecond, 10 by default), not retries in flight; left at its default');
    }
    f.finish({ budgetInterval: 'faultmesh counts its budget over the last 10 s, always' });
}
const POOL_ADVICE = {
    tcp: {
        maxConnections: 'faultmesh does not cap connections to an instance',
        connectTimeout: "faultmesh counts connecting against the route's timeout and perTryTimeout; set those",
        tcpKeepalive: 'faultmesh manages its upstream connections itself (no TCP keep-alive settings)',
        maxConnectionDuration: 'faultmesh manages its upstream connections itself (no maximum age)',
        idleTimeout: 'faultmesh manages its upstream connections itself (no idle timeout to set)',
    },
    http: {
        http1MaxPendingRequests: 'faultmesh does not queue or cap requests per service; outlier detection ejects instances that fail',
        http2MaxRequests: 'faultmesh does not cap requests in flight per service; outlier detection ejects instances that fail',
        maxRequestsPerConnection: 'faultmesh manages its upstream connections itself (keep-alive always on)',
        maxRetries: 'faultmesh bounds retries with a budget (policy.retries.budget.percent of requests), not a count of retries in flight',
        idleTimeout: 'faultmesh manages its upstream connections itself (no idle timeout to set)',
        h2UpgradePolicy: 'faultmesh speaks HTTP/1.1 to instances',
        useClientProtocol: 'faultmesh speaks HTTP/1.1 to instances',
        maxConcurrentStreams: 'faultmesh speaks HTTP/1.1 to instances (no streams)',
        http2KeepAlive: 'faultmesh speaks HTTP/1.1 to instances (no HTTP/2 pings)',
    },
};
/** Nothing of a connection pool has a faultmesh twin; each field is named with the nearest thing faultmesh has. */
function readConnectionPool(f) {
    for (const group of ['tcp', 'http']) {
        const g = f.object(group, `ConnectionPoolSettings.${group === 'tcp' ? 'TCPSettings' : 'HTTPSettings'}`);
        g?.finish(POOL_ADVICE[group]);
    }
    f.finish();
}
//# sourceMappingURL=traffic-policy.js.map