import type { Activity } from '../experiment/activity-schema.js';
import type { Experiment } from '../experiment/load-experiment.js';
import { ControlBridge, type ControlReply } from '../python/control-bridge.js';
import type { PythonEnv } from '../python/python-env.js';
import type { ControlEntry, ControlSpec } from './control-schema.js';
import { controlsAt, hookName, uniqueControls, type ControlLevel } from './select-controls.js';

/**
 * Where in the run a hook is called, and what it is called about: Chaos
 * Toolkit's `context`, which a hook gets as the file wrote it (the
 * experiment, its hypothesis, or the activity), as chaoslib hands it over.
 */
export type ControlPoint =
  | { readonly level: 'experiment' | 'method' | 'rollback' }
  | { readonly level: 'hypothesis'; readonly hypothesis: NonNullable<Experiment['hypothesis']> }
  | { readonly level: 'activity'; readonly activity: Activity };

/**
 * Chaos Toolkit's control hooks, as the run calls them. Every method
 * resolves, never rejects: a control that raises is recorded, and one that
 * raises InterruptExecution stops the run. With `signal`, a call returns as
 * soon as the run stops, so no hook stands between a run and its revert (the
 * hook itself goes on in the background, and what it raises is still recorded).
 */
export interface RunControls {
  before(point: ControlPoint, signal?: AbortSignal): Promise<void>;
  after(point: ControlPoint, state: unknown, signal?: AbortSignal): Promise<void>;
  /** cleanup_control of each control, then the process ends. */
  close(): Promise<void>;
}

/** A run without controls: nothing is started, nothing is called. */
export const NO_CONTROLS: RunControls = { before: async () => {}, after: async () => {}, close: async () => {} };

/** How long one hook may run before its process is killed. */
export const DEFAULT_HOOK_TIMEOUT_MS = 60_000;

/** How long hooks still running when the run stops may go on; then their process is killed, so the rollbacks' hooks do not wait on them. */
export const STOP_GRACE_MS = 5000;

export interface ControlsOptions {
  readonly python: PythonEnv;
  readonly hookTimeoutMs?: number;
  /** configure_control is cut short by it, like every hook. */
  readonly signal?: AbortSignal;
  /** A control raised, or its process failed: for the journal's errors. */
  readonly onError: (message: string) => void;
  /** A control raised InterruptExecution (chaoslib's): the run stops as interrupted. */
  readonly onInterrupt: (message: string) => void;
}

/**
 * Resolves when `p` does, or when `signal` aborts, whichever is first; if
 * `p` is still pending `STOP_GRACE_MS` after the abort, `onStuck` is called.
 * Never leaves a listener or a timer behind.
 */
function untilDoneOrStopped(p: Promise<unknown>, signal: AbortSignal | undefined, onStuck: () => void = () => {}): Promise<void> {
  if (!signal) return p.then(() => {});
  return new Promise((resolve) => {
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
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
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
}

const ownControls = (point: ControlPoint): readonly ControlEntry[] | undefined =>
  point.level === 'activity' ? point.activity.controls : point.level === 'hypothesis' ? point.hypothesis.controls : undefined;

/** Every control the experiment declares anywhere (top level, hypothesis, activities), once by name. */
export function declaredControls(exp: Experiment): ControlSpec[] {
  const activities = [...(exp.hypothesis?.probes ?? []), ...exp.method, ...exp.rollbacks, ...exp.safeguards];
  return uniqueControls([exp.controls, exp.hypothesis?.controls, ...activities.map((a) => a.controls)]);
}

/**
 * Starts the controls of a run: one Python process for all of them, told
 * the experiment, then configure_control of each. None declared: NO_CONTROLS,
 * and no process.
 */
export async function startControls(exp: Experiment, o: ControlsOptions): Promise<RunControls> {
  const all = declaredControls(exp);
  if (all.length === 0) return NO_CONTROLS;
  let bridge: ControlBridge;
  try {
    bridge = new ControlBridge(o.python.choice);
  } catch (err) {
    o.onError(`controls: cannot start ${o.python.choice.interpreter}: ${(err as Error).message}`);
    return NO_CONTROLS;
  }
  const timeoutMs = o.hookTimeoutMs ?? DEFAULT_HOOK_TIMEOUT_MS;
  const seen = new Set<string>();
  const error = (message: string) => {
    if (seen.has(message)) return;
    seen.add(message);
    o.onError(message);
  };
  const judge = (c: ControlSpec, func: string, reply: ControlReply) => {
    if (reply.ok) return;
    if (reply.bridge) error(`controls: ${reply.message}`);
    // As in chaoslib, only the hooks of a level can interrupt; configure_control and cleanup_control merely fail.
    else if (reply.interrupt && func !== 'configure_control' && func !== 'cleanup_control') o.onInterrupt(`control "${c.name}" interrupted the run in ${func}: ${reply.message}`);
    else error(`control "${c.name}" failed in ${func}: ${reply.message}`);
  };
  const call = async (c: ControlSpec, func: string, extra: Record<string, unknown> = {}) => {
    judge(c, func, await bridge.call({ op: 'hook', module: c.provider.module, func, arguments: c.provider.arguments, ...extra }, timeoutMs));
  };
  const { python } = o;
  const init = bridge.call({ op: 'init', sys_path: python.sysPath, experiment: exp.document, configuration: python.configuration, secrets: python.secrets }, timeoutMs).then((reply) => {
    if (!reply.ok) error(`controls: ${reply.message}`);
  });
  const configured = (async () => {
    await init;
    for (const c of all) await call(c, 'configure_control');
  })();
  const stuck = (what: string) => () => bridge.stopIfBusy(`${what} was still running ${STOP_GRACE_MS / 1000}s after the run stopped; its Python process was killed, and later control hooks of this run do not run`);
  await untilDoneOrStopped(configured, o.signal, stuck('configure_control'));

  const apply = (point: ControlPoint, scope: 'before' | 'after', state: unknown, signal: AbortSignal | undefined) => {
    const level: ControlLevel = point.level;
    const func = hookName(level, scope);
    const context = point.level === 'activity' ? { context: exp.asWritten.get(point.activity.name) ?? point.activity } : point.level === 'hypothesis' ? { context: exp.document['steady-state-hypothesis'] ?? point.hypothesis } : { context_is_experiment: true };
    const chosen = controlsAt(level, exp.controls, ownControls(point)).filter((c) => !c.scope || c.scope === scope);
    const calls = (async () => {
      for (const c of chosen) await call(c, func, { ...context, state: scope === 'after' ? state : null });
    })();
    return untilDoneOrStopped(calls, signal, stuck(func));
  };
  return {
    before: (point, signal) => apply(point, 'before', null, signal),
    after: (point, state, signal) => apply(point, 'after', state, signal),
    async close() {
      for (const c of all) await call(c, 'cleanup_control');
      await bridge.close();
    },
  };
}
