import { ProxyError } from '../errors.js';
import { CompiledRule } from './compiled-rule.js';
import { checkDuration } from '../config/duration.js';
const HEADER_RULE_ID = 'header';
/**
 * Envoy-style faults asked for by the request itself (`x-faultmesh-abort:
 * 503`, `x-faultmesh-delay: 200ms`), for tests; honoured only when the proxy
 * runs with --allow-header-faults. The headers are removed before forwarding.
 */
export function headerRule(call, now, random) {
    const h = call.req.headers;
    const abort = h['x-faultmesh-abort'];
    const delay = h['x-faultmesh-delay'];
    if (abort === undefined && delay === undefined)
        return undefined;
    delete h['x-faultmesh-abort'];
    delete h['x-faultmesh-delay'];
    const status = abort === undefined ? undefined : Number(abort);
    if (status !== undefined && !(Number.isInteger(status) && status >= 200 && status <= 599)) {
        return new ProxyError('BAD_FAULT_HEADER', 400, `x-faultmesh-abort must be an HTTP status from 200 to 599, not "${String(abort)}"`);
    }
    // Bounded like a rule's delay: a 1000h that Node would fire after 1 ms is refused, not ignored.
    const checked = typeof delay === 'string' ? checkDuration(delay) : undefined;
    if (delay !== undefined && !checked?.ok) {
        return new ProxyError('BAD_FAULT_HEADER', 400, `x-faultmesh-delay must be a duration such as 200ms, at most 24h, not "${String(delay)}"`);
    }
    const ms = checked?.ok ? checked.ms : undefined;
    const spec = {
        target: call.destination,
        match: {},
        percentage: 100,
        phase: 'request',
        ttl: 1,
        ...(status !== undefined ? { abort: { status } } : {}),
        ...(ms !== undefined ? { delay: { form: 'fixed', ms } } : {}),
    };
    return new CompiledRule(HEADER_RULE_ID, spec, now, Number.POSITIVE_INFINITY, random);
}
//# sourceMappingURL=header-faults.js.map