import { sleep } from './sleep.js';
/**
 * Runs `check` every `everyMs` (first right away, unless `waitFirst`) until
 * `stop` aborts or `check` returns false. Safeguards and the hypothesis
 * during the method use it.
 */
export async function repeatUntil(everyMs, stop, check, waitFirst = false) {
    if (waitFirst && !(await sleep(everyMs, stop)))
        return;
    while (!stop.aborted) {
        if (!(await check()))
            return;
        if (!(await sleep(everyMs, stop)))
            return;
    }
}
//# sourceMappingURL=checks-loop.js.map