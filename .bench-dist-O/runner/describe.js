import { formatDuration } from '../proxy/config/duration.js';
/** A fault rule in a few words: `payments: abort 503 10% where customers=acme`. */
export function describeRule(rule) {
    const r = rule;
    const actions = ['abort', 'delay', 'reset', 'hang', 'throttle'].filter((k) => r[k] !== undefined).map((k) => (k === 'abort' ? `abort ${r.abort.status}` : k));
    const match = describeMatch(r.match);
    return `${String(r.target)}: ${actions.join('+')} ${String(r.percentage ?? 100)}%${match ? ` where ${match}` : ''}`;
}
/**
 * A rule's match in one line, '' for every request: lists as `key=a,b`,
 * headers and labels one per name.
 *
 * @example describeMatch({ customers: ['acme', 'beta'], headers: { 'end-user': 'jason' } }) // 'customers=acme,beta headers.end-user=jason'
 */
export function describeMatch(match) {
    if (match === null || typeof match !== 'object')
        return '';
    return Object.entries(match)
        .flatMap(([k, v]) => {
        if (Array.isArray(v))
            return [`${k}=${v.join(',')}`];
        if (v !== null && typeof v === 'object')
            return Object.entries(v).map(([name, value]) => `${k}.${name}=${String(value)}`);
        return [`${k}=${JSON.stringify(v)}`];
    })
        .join(' ');
}
/** Where a fault went, in words: `through the control plane URL`, `on 2 proxies`, or both. */
export function faultWhere(f) {
    const controls = f.controls ?? [];
    const proxies = f.admins.filter((a) => !controls.includes(a)).length;
    const parts = controls.length ? [`through the control plane${controls.length === 1 ? '' : 's'} ${controls.join(', ')}`] : [];
    if (proxies || !parts.length)
        parts.push(`on ${proxies} prox${proxies === 1 ? 'y' : 'ies'}`);
    return parts.join(' and ');
}
/** What a provider will do, for the dry-run plan. */
export function describeProvider(p) {
    switch (p.type) {
        case 'http':
            return `${p.method} ${p.url}`;
        case 'process':
            return typeof p.arguments === 'string' ? `run ${p.path} ${p.arguments} (through a shell)` : `run ${[p.path, ...p.arguments].join(' ')}`;
        case 'fault':
            return `inject into ${p.admin.join(', ')} for ${formatDuration(p.duration)}: ${describeRule(p.rule)}`;
        case 'metric':
            return `${p.measure} of ${p.destination}${p.source ? ` from ${p.source}` : ''}${p.instance ? ` on ${p.instance}` : ''} over ${formatDuration(p.window)}, from ${p.admin.join(', ')}`;
        case 'load':
            return `${p.rate} ${p.method} req/s to ${p.target} through ${p.proxy} for ${formatDuration(p.duration)}`;
        case 'prometheus':
            return `PromQL "${p.query}" at ${p.url}`;
        case 'python':
            return `call ${p.module}.${p.func}(${Object.keys(p.arguments).join(', ')}) in Python`;
    }
}
//# sourceMappingURL=describe.js.map