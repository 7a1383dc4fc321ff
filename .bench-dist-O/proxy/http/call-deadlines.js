import { timerMs } from '../config/duration.js';
/**
 * A call's two deadlines (the whole call's timeout and the current
 * attempt's per-try timeout) on one timer. Armed for the earlier of them,
 * and moved only when a deadline comes before the armed time: an attempt
 * that ends early leaves the timer where it is, and a timer that wakes with
 * nothing due re-arms for what is left. A call that ends clears it. So a
 * call with both timeouts costs one timer, not one per layer.
 */
export class CallDeadlines {
    timer = undefined;
    /** performance.now() the timer fires at (Infinity: not armed). */
    armedAt = Infinity;
    overallAt = Infinity;
    overallFire = undefined;
    attemptAt = Infinity;
    attemptFire = undefined;
    /** Not armed yet: the layers inside may set an earlier attempt deadline first, and `arm()` follows. */
    setOverall(at, fire) {
        this.overallAt = at;
        this.overallFire = fire;
    }
    setAttempt(at, fire) {
        this.attemptAt = at;
        this.attemptFire = fire;
        this.arm();
    }
    /** The attempt ended in time: its deadline no longer applies (the timer is left for the overall one). */
    clearAttempt() {
        this.attemptAt = Infinity;
        this.attemptFire = undefined;
    }
    /** The call is over. */
    clear() {
        this.overallFire = this.attemptFire = undefined;
        this.overallAt = this.attemptAt = Infinity;
        if (this.timer !== undefined)
            clearTimeout(this.timer);
        this.timer = undefined;
        this.armedAt = Infinity;
    }
    arm() {
        const at = Math.min(this.overallAt, this.attemptAt);
        if (at >= this.armedAt)
            return;
        if (this.timer !== undefined)
            clearTimeout(this.timer);
        this.armedAt = at;
        this.timer = setTimeout(this.wake, timerMs(Math.max(0, at - performance.now())));
    }
    wake = () => {
        this.timer = undefined;
        this.armedAt = Infinity;
        // Timers may fire a little early (they round to the millisecond).
        const now = performance.now() + 1;
        if (this.attemptAt <= now) {
            const fire = this.attemptFire;
            this.clearAttempt();
            fire();
        }
        if (this.overallAt <= now) {
            const fire = this.overallFire;
            this.overallAt = Infinity;
            this.overallFire = undefined;
            fire();
        }
        this.arm();
    };
}
//# sourceMappingURL=call-deadlines.js.map