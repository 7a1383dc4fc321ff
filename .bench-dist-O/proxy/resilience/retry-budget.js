const SLOT_MS = 1000;
const SLOTS = 10;
/**
 * Keeps retries to a share of requests, so that a full outage does not turn
 * every request into 1 + attempts requests (a retry storm) just when the
 * service can least afford it. Same model as Finagle's and Linkerd's budgets:
 * over the last 10 s, retries may reach `percent` of requests plus a reserve
 * of `minPerSecond` for each of those seconds, which lets a quiet service
 * still retry its rare failures.
 *
 * Counted in 1-second slots on the injected clock, so tests drive it exactly.
 */
export class RetryBudget {
    now;
    requests = new Float64Array(SLOTS);
    retries = new Float64Array(SLOTS);
    slot = -1;
    constructor(now) {
        this.now = now;
    }
    /** Every request that may be retried counts once, when it arrives. */
    deposit() {
        this.requests[this.advance()]++;
    }
    /** Takes one retry from the budget; false when it is spent. */
    withdraw(budget) {
        const i = this.advance();
        let requests = 0;
        let retries = 0;
        for (let s = 0; s < SLOTS; s++) {
            requests += this.requests[s];
            retries += this.retries[s];
        }
        const allowed = (requests * budget.percent) / 100 + budget.minPerSecond * (SLOTS * SLOT_MS) / 1000;
        if (retries + 1 > allowed)
            return false;
        this.retries[i]++;
        return true;
    }
    /** Moves to the slot for now, clearing the slots that time passed over. */
    advance() {
        const slot = Math.floor(this.now() / SLOT_MS);
        if (slot !== this.slot) {
            const passed = this.slot < 0 ? SLOTS : Math.min(SLOTS, slot - this.slot);
            for (let k = 1; k <= passed; k++) {
                const i = (((this.slot + k) % SLOTS) + SLOTS) % SLOTS;
                this.requests[i] = 0;
                this.retries[i] = 0;
            }
            this.slot = slot;
        }
        return ((slot % SLOTS) + SLOTS) % SLOTS;
    }
}
//# sourceMappingURL=retry-budget.js.map