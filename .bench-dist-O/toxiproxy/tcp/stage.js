import { TOXIC_KINDS } from './toxics/index.js';
/**
 * One toxic running on one link, between the stage before it and `next`.
 * The guards here (once removed, nothing more leaves it; one end only) keep
 * every toxic module free of that bookkeeping.
 */
export class Stage {
    spec;
    host;
    next;
    run;
    /** False once removed: a late timer of its run forwards nothing. */
    attached = true;
    /** The end has come from the stage before. */
    inputEnded = false;
    /** The end has gone on to `next`. */
    outputEnded = false;
    /** Its toxic closed the connection: whatever still arrives is dropped. */
    closed = false;
    port;
    constructor(spec, next, host) {
        this.spec = spec;
        this.host = host;
        this.next = next;
        this.port = {
            forward: (chunk) => {
                if (!this.attached || this.outputEnded)
                    return;
                this.next.write(chunk);
                this.host.released();
            },
            end: () => {
                if (!this.attached || this.outputEnded)
                    return;
                this.outputEnded = true;
                this.next.end();
            },
            close: () => {
                if (!this.attached || this.closed)
                    return;
                this.closed = true;
                this.port.end();
                this.host.close();
            },
            reset: () => {
                if (this.attached)
                    this.host.reset();
            },
            timers: host.timers,
            random: host.random,
        };
        this.run = this.begin();
    }
    write(chunk) {
        if (!this.closed && !this.inputEnded)
            this.run.write(chunk);
    }
    end() {
        if (this.closed || this.inputEnded)
            return;
        this.inputEnded = true;
        this.run.end();
    }
    /** New attributes or toxicity of the same toxic, still applied on this link. */
    update(spec) {
        this.spec = spec;
        if (this.run.update)
            this.run.update(spec.attributes);
        else
            this.restart();
    }
    /** A fresh run in place of this one, after what this one held has gone on. */
    restart() {
        this.run.release();
        this.run = this.begin();
        if (this.inputEnded)
            this.run.end();
    }
    /** Removed from the link: what it holds goes on now (into `next`, still in place), then it is cut out. */
    retire() {
        this.run.release();
        this.attached = false;
    }
    dispose() {
        this.attached = false;
        this.run.dispose();
    }
    begin() {
        return TOXIC_KINDS.get(this.spec.type).start(this.spec.attributes, this.port);
    }
}
//# sourceMappingURL=stage.js.map