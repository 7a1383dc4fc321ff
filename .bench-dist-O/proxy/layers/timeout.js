import { requestTimeout, upstreamTimeout } from '../errors.js';
import { CallDeadlines } from '../http/call-deadlines.js';
/**
 * The whole call's timeout, retries and back-off included: the service's
 * `policy.timeout`, or the proxy's --timeout. When it fires the caller gets
 * a 504 at once, the attempt in flight is abandoned and no retry follows.
 * A streaming body that has started is not cut: the timeout is about an
 * upstream that does not answer.
 */
export const timeout = (defaultMs) => (next) => (call) => {
    const ms = call.service.policy.timeout ?? defaultMs;
    call.deadline = performance.now() + ms;
    const deadlines = (call.deadlines = new CallDeadlines());
    const race = new Race(call);
    deadlines.setOverall(call.deadline, () => {
        const outcome = race.fire(() => requestTimeout(ms, call.retries + 1, call.endpoint?.id));
        if (outcome === undefined)
            return;
        call.timedOut = true;
        call.attempt?.abandon(outcome);
    });
    const answer = race.run(next(call), () => deadlines.clear());
    // After the layers inside have started: they may have set an earlier (per-try) deadline on the one timer.
    deadlines.arm();
    return answer;
};
/** One attempt's timeout (`retries.perTryTimeout`); when it fires, the retry layer may try again. */
export const perTryTimeout = (next) => (call) => {
    const ms = call.service.policy.retries.perTryTimeout;
    if (ms === undefined)
        return next(call);
    const attempt = call.attempt;
    // Inside the overall timeout, which made the call's timer (a stack without one gets its own).
    const deadlines = call.deadlines ?? (call.deadlines = new CallDeadlines());
    const race = new Race(call);
    deadlines.setAttempt(performance.now() + ms, () => {
        const outcome = race.fire(() => upstreamTimeout(attempt?.endpoint.id ?? '?', ms));
        if (outcome !== undefined)
            attempt?.abandon(outcome);
    });
    return race.run(next(call), () => deadlines.clearAttempt());
};
/**
 * The layers inside against a deadline: whichever comes first answers. A
 * class, not a closure per part, because every call makes one or two.
 */
class Race {
    call;
    fired = false;
    resolve;
    constructor(call) {
        this.call = call;
    }
    /** The answer of `inner`, unless `fire` answered first; `done` runs when inner settles. */
    run(inner, done) {
        return new Promise((resolve, reject) => {
            this.resolve = resolve;
            inner.then((outcome) => {
                done();
                // Too late: the caller has its 504; free the upstream's socket.
                if (this.fired && outcome.kind === 'response')
                    outcome.response.body.destroy();
                resolve(outcome);
            }, (err) => {
                done();
                reject(err);
            });
        });
    }
    /**
     * The deadline passed: answers with the timeout error now (so it also ends
     * waits that are not on the socket: a delay fault, a back-off), unless a
     * hang fault holds the call, which promises no answer at all (the
     * client's own timeout ends it). Returns the outcome it answered with.
     */
    fire(error) {
        if (this.call.fault?.kinds.includes('hang'))
            return undefined;
        this.fired = true;
        const outcome = { kind: 'error', error: error() };
        this.resolve(outcome);
        return outcome;
    }
}
//# sourceMappingURL=timeout.js.map