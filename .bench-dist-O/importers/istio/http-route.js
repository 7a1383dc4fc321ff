import { readFault, readMatchList } from './fault-block.js';
import { Fields } from './fields.js';
import { parseIstioDuration } from './go-duration.js';
import { readRetries } from './retries.js';
/** What a route may hold that faultmesh does not do, with what to do instead. */
const ROUTE_UNTRANSLATED = {
    redirect: 'faultmesh does not answer with redirects; let the service redirect, or route to the service that should answer',
    delegate: 'faultmesh has no delegate VirtualServices; import the delegate and write its routes here',
    rewrite: 'faultmesh forwards the path and Host as the caller sent them; let the service accept the path it is called with',
    mirror: 'faultmesh does not mirror traffic',
    mirrors: 'faultmesh does not mirror traffic',
    mirrorPercentage: 'faultmesh does not mirror traffic',
    mirrorPercent: 'faultmesh does not mirror traffic',
    mirror_percent: 'faultmesh does not mirror traffic',
    corsPolicy: 'faultmesh leaves CORS to the service',
    headers: 'faultmesh does not add, set or remove headers',
};
/**
 * Reads one HTTPRoute. `faultsOnly` (faults add) reads the match and the
 * fault, and accepts the rest unread: routing is not what is being asked for.
 */
export function readHttpRoute(value, path, findings, faultsOnly) {
    const f = Fields.of(value, path, findings, 'HTTPRoute');
    if (!f)
        return undefined;
    f.accept('name');
    const matches = readMatchList(f.raw('match'), f.at('match'), findings);
    const fault = f.has('fault') ? readFault(f.raw('fault'), f.at('fault'), findings) : undefined;
    if (faultsOnly) {
        f.accept(...Object.keys(f.value));
        return matches && { path, matches, destinations: [], routable: false, ...(fault ? { fault: { actions: fault, path: f.at('fault') } } : {}) };
    }
    const destinations = readDestinations(f, findings);
    const deny = readDirectResponse(f, findings);
    const timeout = readTimeout(f, findings);
    const retries = f.has('retries') ? readRetries(f.raw('retries'), f.at('retries'), findings) : undefined;
    for (const [key, why] of Object.entries(ROUTE_UNTRANSLATED)) {
        if (!f.has(key))
            continue;
        f.accept(key);
        findings.untranslated(f.at(key), why, true);
    }
    f.finish();
    if (!matches)
        return undefined;
    const routable = destinations.length > 0 || deny !== undefined;
    if (!routable && !f.has('redirect') && !f.has('delegate') && !f.has('directResponse'))
        findings.invalid(path, 'a route needs route (destinations), redirect, directResponse or delegate');
    return {
        path,
        matches,
        destinations,
        ...(deny !== undefined ? { deny } : {}),
        routable,
        ...(timeout ? { timeout } : {}),
        ...(retries ? { retries: { value: retries, path: f.at('retries') } } : {}),
        ...(fault ? { fault: { actions: fault, path: f.at('fault') } } : {}),
    };
}
/** `route`: each destination's host, subset and weight. Weights are relative; one left out is 0, as in Istio. */
function readDestinations(f, findings) {
    const out = [];
    (f.list('route') ?? []).forEach((raw, i) => {
        const d = Fields.of(raw, [...f.at('route'), i], findings, 'HTTPRouteDestination');
        if (!d)
            return;
        const weight = d.number('weight') ?? 0;
        if (!Number.isInteger(weight) || weight < 0)
            findings.invalid(d.at('weight'), 'weight is a whole number, 0 or more');
        const dest = d.object('destination', 'Destination');
        d.finish({ headers: 'faultmesh does not add, set or remove headers' });
        if (!dest)
            return void findings.invalid(d.path, 'a route destination needs destination: { host }');
        const host = dest.string('host');
        const subset = dest.string('subset');
        if (dest.has('port')) {
            dest.accept('port');
            findings.caveat(dest.at('port'), "faultmesh instances have one address each (the port is in the instance's address); left out");
        }
        dest.finish();
        if (host === undefined)
            return void findings.invalid(dest.path, 'a destination needs host');
        out.push({ host, path: dest.path, ...(subset !== undefined ? { subset } : {}), weight: Number.isInteger(weight) && weight >= 0 ? weight : 0 });
    });
    return out;
}
/** A directResponse with an error status is a deny route; faultmesh writes its own body for it. */
function readDirectResponse(f, findings) {
    const d = f.object('directResponse', 'HTTPDirectResponse');
    if (!d)
        return undefined;
    const status = d.number('status');
    const body = d.has('body');
    d.accept('body');
    d.finish();
    if (status === undefined)
        return void findings.invalid(d.path, 'a directResponse needs status');
    if (!Number.isInteger(status) || status < 400 || status > 599)
        return void findings.untranslated(d.at('status'), 'faultmesh answers a route itself only to refuse it (deny: 400 to 599); let a service give this answer');
    if (body)
        findings.caveat(d.at('body'), 'written as deny: the proxy answers with its own JSON error body, not this one');
    return status;
}
/** `timeout`; 0s turns it off in Istio, which faultmesh cannot (the proxy's --timeout applies): said so, and left out. */
function readTimeout(f, findings) {
    if (!f.has('timeout'))
        return undefined;
    const t = parseIstioDuration(f.raw('timeout'));
    if (!t.ok)
        return void findings.invalid(f.at('timeout'), t.message);
    if (t.ms === 0)
        return void findings.caveat(f.at('timeout'), "0s turns Istio's timeout off; faultmesh always bounds a call, so the proxy's --timeout (15s by default) applies");
    return { ms: t.ms, path: f.at('timeout') };
}
//# sourceMappingURL=http-route.js.map