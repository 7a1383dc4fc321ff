import { Transform } from 'node:stream';
/** Delivers the response body at a fixed rate, whichever phase the rule names. */
export const throttleFault = {
    name: 'throttle',
    build(rule, deps) {
        const spec = rule.spec.throttle;
        if (!spec)
            return undefined;
        return (next) => async (call) => {
            const outcome = await next(call);
            if (outcome.kind !== 'response')
                return outcome;
            const slow = new Throttle(spec.bytesPerSecond, deps, call);
            outcome.response.body.pipe(slow);
            return { ...outcome, body: slow };
        };
    },
};
/** Passes bytes through in slices of a tenth of a second's worth, pausing between them. */
class Throttle extends Transform {
    bytesPerSecond;
    deps;
    call;
    slice;
    constructor(bytesPerSecond, deps, call) {
        super();
        this.bytesPerSecond = bytesPerSecond;
        this.deps = deps;
        this.call = call;
        this.slice = Math.max(1, Math.floor(bytesPerSecond / 10));
    }
    _transform(chunk, _enc, done) {
        this.pace(chunk).then(() => done(), done);
    }
    async pace(chunk) {
        for (let offset = 0; offset < chunk.length && !this.destroyed; offset += this.slice) {
            const part = chunk.subarray(offset, offset + this.slice);
            this.push(part);
            await this.deps.sleep((part.length / this.bytesPerSecond) * 1000, this.call);
        }
    }
}
//# sourceMappingURL=throttle.js.map