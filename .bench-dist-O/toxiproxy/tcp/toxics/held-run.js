import { HeldBytes } from './held-bytes.js';
/**
 * What the toxics that hold bytes behind one timer (bandwidth, latency,
 * slicer) share: the queue, the timer, and the end passed on only once the
 * sender ended and nothing is held or timed. Each toxic keeps its own
 * pacing (when to forward); this keeps the rest of its ToxicRun.
 */
export class HeldRun {
    port;
    queue = new HeldBytes();
    /** The one pending timer, or undefined. */
    timer;
    ended = false;
    endSent = false;
    constructor(port) {
        this.port = port;
    }
    /** Clears the pending timer, if any. */
    stop = () => {
        if (this.timer !== undefined)
            this.port.timers.clearTimeout(this.timer);
        this.timer = undefined;
    };
    /** Passes the end on once the sender ended and nothing is held or waiting on a timer. */
    endIfDone = () => {
        if (this.ended && !this.endSent && this.queue.empty && this.timer === undefined) {
            this.endSent = true;
            this.port.end();
        }
    };
    /** The toxic's run: its own `write` and `update`, with end, held, release and dispose as every held-bytes toxic has them. */
    run(own) {
        return {
            ...own,
            end: () => {
                this.ended = true;
                this.endIfDone();
            },
            held: () => this.queue.bytes,
            release: () => {
                this.stop();
                this.queue.drain(this.port.forward);
                this.endIfDone();
            },
            dispose: this.stop,
        };
    }
}
//# sourceMappingURL=held-run.js.map