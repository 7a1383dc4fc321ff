import { runProvider } from './index.js';
import { callPythonProvider } from './python.js';
export const isProbeTolerance = (t) => typeof t === 'object' && !Array.isArray(t) && t.type === 'probe';
/** Python's truth of a JSON value: false for null, false, 0, "", [] and {}. */
export function pythonTruth(value) {
    if (value === null || value === undefined)
        return false;
    if (Array.isArray(value))
        return value.length > 0;
    if (typeof value === 'object')
        return Object.keys(value).length > 0;
    return Boolean(value);
}
/** The tolerance's provider with the judged value added to its arguments, as chaoslib does; a process provider's argv takes none. */
function withValue(p, value) {
    if (p.type === 'python')
        return { ...p, arguments: { ...p.arguments, value } };
    if (p.type === 'http' && (p.arguments === undefined || (typeof p.arguments === 'object' && p.arguments !== null && !Array.isArray(p.arguments))))
        return { ...p, arguments: { ...p.arguments, value } };
    return p;
}
/**
 * Chaos Toolkit's probe tolerance (chaoslib's hypothesis.py): the probe runs
 * with the judged output as its `value` argument, and the tolerance is met
 * when it returns something true (Python's `bool()`); a probe that fails
 * does not meet it.
 *
 * @example await judgeByProbe({ type: 'probe', name: 'is-ok', provider: { type: 'python', module: 'checks', func: 'ok', arguments: {} } }, output, ctx)
 */
export async function judgeByProbe(t, value, ctx) {
    let logs;
    const probeCtx = { ...ctx, secretScopes: t.secrets, onLogs: (l) => (logs = l) };
    const provider = withValue(t.provider, value);
    const kept = () => (logs && (logs.stdout || logs.stderr) ? { logs } : {});
    try {
        if (provider.type === 'python') {
            const result = await callPythonProvider(provider, probeCtx, `tolerance probe "${t.name}"`);
            return { met: result.truthy ?? pythonTruth(result.value), record: { name: t.name, status: 'succeeded', output: result.value, ...kept() } };
        }
        const output = await runProvider(provider, probeCtx);
        return { met: pythonTruth(output), record: { name: t.name, status: 'succeeded', output, ...kept() } };
    }
    catch (err) {
        const e = err;
        return { met: false, record: { name: t.name, status: 'failed', error: e.message, ...(e.exception ? { exception: e.exception } : {}), ...kept() } };
    }
}
//# sourceMappingURL=probe-tolerance.js.map