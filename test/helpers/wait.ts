import { STARTUP_TIMEOUT_MS } from '../../demo/children.js';

/** How long a test waits for something that should happen soon: generous, for a busy 2-core machine. */
export const WAIT_MS = STARTUP_TIMEOUT_MS / 4;

const tick = () => new Promise((resolve) => setTimeout(resolve, 10));

/**
 * Polls `check` until it holds, and fails naming `what` if it does not
 * within `timeoutMs`. Tests wait on this, never on a fixed sleep.
 *
 * @example await waitFor(async () => (await faults()).length === 1, 'the fault is on the proxy');
 */
export async function waitFor(check: () => boolean | Promise<boolean>, what: string, timeoutMs = WAIT_MS): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs}ms waiting until ${what}`);
    await tick();
  }
}

/**
 * For "this never happens": watches `check` for `ms` and fails the moment it
 * stops holding. `ms` is the window in which the thing watched could still
 * happen (a delay that would run out, a timer that would fire), plus margin,
 * so the test fails fast on a regression and waits only as long as needed.
 */
export async function holdsFor(check: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const until = performance.now() + ms;
  do {
    if (!(await check())) throw new Error(`no longer true: ${what}`);
    await tick();
  } while (performance.now() < until);
  if (!(await check())) throw new Error(`no longer true: ${what}`);
}
