import { ControlBridge } from '../python/control-bridge.js';
import { controlsAt, hookName, uniqueControls } from './select-controls.js';
/** A run without controls: nothing is started, nothing is called. */
export const NO_CONTROLS = { before: async () => { }, after: async () => { }, close: async () => { } };
/** How long one hook may run before its process is killed. */
export const DEFAULT_HOOK_TIMEOUT_MS = 60_000;
/** How long hooks still running when the run stops may go on; then their process is killed, so the rollbacks' hooks do not wait on them. */
export const STOP_GRACE_MS = 5000;
/**
 * Resolves when `p` does, or when `signal` aborts, whichever is first; if
 * `p` is still pending `STOP_GRACE_MS` after the abort, `onStuck` is called.
 * Never leaves a listener or a timer behind.
 */
function untilDoneOrStopped(p, signal, onStuck = () => { }) {
    if (!signal)
        return p.then(() => { });
    return new Promise((resolve) => {
        let settled = false;
        let timer;
        const onAbort = () => {
            resolve();
            timer = setTimeout(() => !settled && onStuck(), STOP_GRACE_MS);
        };
        const done = () => {
            settled = true;
            clearTimeout(timer);
            signal.removeEventListener('abort', onAbort);
            resolve();
        };
        void p.then(done, done);
        if (signal.aborted)
            onAbort();
        else
            signal.addEventListener('abort', onAbort, { once: true });
    });
}
const ownControls = (point) => point.level === 'activity' ? point.activity.controls : point.level === 'hypothesis' ? point.hypothesis.controls : undefined;
/** Every control the experiment declares anywhere (top level, hypothesis, activities), once by name. */
export function declaredControls(exp) {
    const activities = [...(exp.hypothesis?.probes ?? []), ...exp.method, ...exp.rollbacks, ...exp.safeguards];
    return uniqueControls([exp.controls, exp.hypothesis?.controls, ...activities.map((a) => a.controls)]);
}
/**
 * Starts the controls of a run: one Python process for all of them, told
 * the experiment, then configure_control of each. None declared: NO_CONTROLS,
 * and no process.
 */
export async function startControls(exp, o) {
    const all = declaredControls(exp);
    if (all.length === 0)
        return NO_CONTROLS;
    let bridge;
    try {
        bridge = new ControlBridge(o.python.choice);
    }
    catch (err) {
        o.onError(`controls: cannot start ${o.python.choice.interpreter}: ${err.message}`);
        return NO_CONTROLS;
    }
    const timeoutMs = o.hookTimeoutMs ?? DEFAULT_HOOK_TIMEOUT_MS;
    const seen = new Set();
    const error = (message) => {
        if (seen.has(message))
            return;
        seen.add(message);
        o.onError(message);
    };
    const judge = (c, func, reply) => {
        if (reply.ok)
            return;
        if (reply.bridge)
            error(`controls: ${reply.message}`);
        // As in chaoslib, only the hooks of a level can interrupt; configure_control and cleanup_control merely fail.
        else if (reply.interrupt && func !== 'configure_control' && func !== 'cleanup_control')
            o.onInterrupt(`control "${c.name}" interrupted the run in ${func}: ${reply.message}`);
        else
            error(`control "${c.name}" failed in ${func}: ${reply.message}`);
    };
    const call = async (c, func, extra = {}) => {
        judge(c, func, await bridge.call({ op: 'hook', module: c.provider.module, func, arguments: c.provider.arguments, ...extra }, timeoutMs));
    };
    const { python } = o;
    const init = bridge.call({ op: 'init', sys_path: python.sysPath, experiment: exp.document, configuration: python.configuration, secrets: python.secrets }, timeoutMs).then((reply) => {
        if (!reply.ok)
            error(`controls: ${reply.message}`);
    });
    const configured = (async () => {
        await init;
        for (const c of all)
            await call(c, 'configure_control');
    })();
    const stuck = (what) => () => bridge.stopIfBusy(`${what} was still running ${STOP_GRACE_MS / 1000}s after the run stopped; its Python process was killed, and later control hooks of this run do not run`);
    await untilDoneOrStopped(configured, o.signal, stuck('configure_control'));
    const apply = (point, scope, state, signal) => {
        const level = point.level;
        const func = hookName(level, scope);
        const context = point.level === 'activity' ? { context: exp.asWritten.get(point.activity.name) ?? point.activity } : point.level === 'hypothesis' ? { context: exp.document['steady-state-hypothesis'] ?? point.hypothesis } : { context_is_experiment: true };
        const chosen = controlsAt(level, exp.controls, ownControls(point)).filter((c) => !c.scope || c.scope === scope);
        const calls = (async () => {
            for (const c of chosen)
                await call(c, func, { ...context, state: scope === 'after' ? state : null });
        })();
        return untilDoneOrStopped(calls, signal, stuck(func));
    };
    return {
        before: (point, signal) => apply(point, 'before', null, signal),
        after: (point, state, signal) => apply(point, 'after', state, signal),
        async close() {
            for (const c of all)
                await call(c, 'cleanup_control');
            await bridge.close();
        },
    };
}
//# sourceMappingURL=run-controls.js.map