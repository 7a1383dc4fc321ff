import { compileGlob } from '../routing/glob.js';
// Decisions are shared constants: evaluation runs on every inbound request and allocates nothing.
const ALLOWED = Object.freeze({ allowed: true });
const deny = (reason) => Object.freeze({ allowed: false, reason });
const DENY_ALL = deny('its policy allows no caller (allow: [])');
const DENY_UNAUTHENTICATED = deny('the caller has no verified identity, and every rule of the policy names its callers (from)');
const DENY_CALLER = deny('no rule allows this caller');
const DENY_REQUEST = deny('no rule allows this method and path for this caller');
const DENY_DOT_SEGMENT = deny('the path has a dot segment (/./ or /../), which no path rule matches');
const OPEN = Object.freeze({ enforced: false, authorize: () => ALLOWED });
/**
 * A path segment of "." or "..", written plainly or percent-encoded, with
 * "/" or "%2F" around it. `/api/../admin` matches `/api/**` as text but may
 * reach `/admin` once the app resolves it, so such a path never passes a
 * path rule. Real clients resolve dot segments before sending (RFC 3986
 * 5.2.4), so only a crafted request is refused.
 */
const DOT_SEGMENT = /(?:^|\/|%2f)(?:\.|%2e){1,2}(?:\/|%2f|$)/i;
/**
 * Compiles a service's `authorization:` once per mesh snapshot.
 *
 * Semantics: without a policy every call passes. With one, a call passes
 * when some rule matches it; a rule matches when each field it gives
 * matches (`from` the caller, `methods` the method, `paths` a glob of
 * proxy/routing/glob.ts on the path without its query string); a field
 * left out matches anything. `allow: []` refuses every call.
 *
 * A caller without a verified identity is matched only by rules without
 * `from`: naming callers, even as "*" ("any authenticated service"), asks
 * for an identity it does not have.
 *
 * @example
 * compileAuthorization({ allow: [{ from: ['checkout'], methods: ['POST'], paths: ['/charge'] }] })
 *   .authorize({ source: 'frontend', method: 'POST', path: '/charge' }) // { allowed: false, reason: 'no rule allows this caller' }
 */
export function compileAuthorization(config) {
    if (!config)
        return OPEN;
    const rules = config.allow.map(compileRule);
    if (rules.length === 0)
        return Object.freeze({ enforced: true, authorize: () => DENY_ALL });
    const anonymousMayPass = rules.some((r) => r.from === undefined);
    const usesPaths = rules.some((r) => r.paths !== undefined);
    return Object.freeze({
        enforced: true,
        authorize(request) {
            const { source, method } = request;
            if (source === undefined && !anonymousMayPass)
                return DENY_UNAUTHENTICATED;
            const path = usesPaths ? pathOnly(request.path) : '';
            const dotted = usesPaths && DOT_SEGMENT.test(path);
            let callerMatched = false;
            for (const rule of rules) {
                if (!callerMatches(rule, source))
                    continue;
                callerMatched = true;
                if (rule.methods !== undefined && !rule.methods.has(method))
                    continue;
                if (rule.paths !== undefined && (dotted || !someMatch(rule.paths, path)))
                    continue;
                return ALLOWED;
            }
            if (!callerMatched)
                return source === undefined ? DENY_UNAUTHENTICATED : DENY_CALLER;
            return dotted ? DENY_DOT_SEGMENT : DENY_REQUEST;
        },
    });
}
function compileRule(rule) {
    return {
        from: rule.from ? new Set(rule.from) : undefined,
        anyAuthenticated: rule.from?.includes('*') ?? false,
        methods: rule.methods ? new Set(rule.methods) : undefined,
        paths: rule.paths?.map(compileGlob),
    };
}
function callerMatches(rule, source) {
    if (rule.from === undefined)
        return true;
    if (source === undefined)
        return false;
    return rule.anyAuthenticated || rule.from.has(source);
}
function someMatch(globs, path) {
    for (const re of globs)
        if (re.test(path))
            return true;
    return false;
}
/** The path without its query string; the same string when it has none, so most requests allocate nothing. */
function pathOnly(target) {
    const q = target.indexOf('?');
    return q === -1 ? target : target.slice(0, q);
}
//# sourceMappingURL=policy.js.map