import { compileGlob } from './glob.js';
/** Compiles a route match once; every given condition must hold. */
export function compileMatch(spec) {
    const checks = [];
    if (spec.method !== undefined) {
        const methods = new Set(typeof spec.method === 'string' ? [spec.method] : spec.method);
        checks.push((f) => methods.has(f.method));
    }
    if (spec.path !== undefined) {
        const re = compileGlob(spec.path);
        checks.push((f) => re.test(f.path));
    }
    for (const [name, value] of Object.entries(spec.headers ?? {})) {
        const key = name.toLowerCase();
        checks.push((f) => headerValue(f.headers, key) === value);
    }
    if (checks.length === 0)
        return () => true;
    return (f) => {
        for (const check of checks)
            if (!check(f))
                return false;
        return true;
    };
}
/** First value of a header, whether Node gave a string or an array. */
export function headerValue(headers, key) {
    const v = headers[key];
    return Array.isArray(v) ? v[0] : v;
}
//# sourceMappingURL=route-match.js.map