import { discard } from '../core/outcome.js';
import { hasBody, NO_BODY, readForReplay } from '../http/request-body.js';
import { backoffMs, retryReason } from '../resilience/retry-policy.js';
/**
 * Tries the call again when an attempt fails in a way the service's policy
 * names (retryOn), as long as: the method may be retried, the body could
 * be kept for replay, attempts remain, the retry budget allows, the client
 * is still there, and the back-off ends before the overall deadline.
 *
 * Decisions are made on response headers, before anything is sent to the
 * caller, so a response already streaming is never retried; a failed
 * response that is retried is drained, freeing its connection.
 */
export const retry = (deps) => (next) => async (call) => {
    const service = call.service;
    const policy = service.policy.retries;
    if (policy.attempts === 0 || !policy.methods.includes(call.method))
        return next(call);
    // Most calls have no body: nothing to read, and no wait for it.
    if (!hasBody(call.req))
        call.body = NO_BODY;
    else {
        call.body = await readForReplay(call.req, call.res);
        // A slow upload can outlast the whole timeout (or the client's patience).
        if (isOver(call))
            return { kind: 'drop', reason: 'ABANDONED_DURING_UPLOAD' };
        if (call.body.kind === 'streaming')
            return next(call);
    }
    service.budget.deposit();
    for (;;) {
        const outcome = await next(call);
        const reason = retryReason(call.classification, policy);
        if (reason === undefined || call.retries >= policy.attempts || isOver(call))
            return outcome;
        const wait = backoffMs(call.retries, policy.backoff, deps.random);
        if (performance.now() + wait >= call.deadline)
            return outcome;
        if (!service.budget.withdraw(policy.budget)) {
            call.flags.push('RETRY_BUDGET_EXHAUSTED');
            deps.onBudgetExhausted(call);
            return outcome;
        }
        discard(outcome);
        call.retries++;
        deps.onRetry(call, reason);
        if (wait > 0)
            await deps.sleep(wait, call);
        if (isOver(call))
            return { kind: 'drop', reason: 'ABANDONED_DURING_BACKOFF' };
    }
};
/** No further attempt: the overall timeout answered, or the client left. */
function isOver(call) {
    return call.timedOut || call.res.destroyed || call.res.headersSent;
}
//# sourceMappingURL=retry.js.map