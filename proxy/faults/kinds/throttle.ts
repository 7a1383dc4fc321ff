import { Transform, type TransformCallback } from 'node:stream';
import type { Call } from '../../http/call.js';
import type { FaultDeps, FaultKind } from './fault-kind.js';

/** Delivers the response body at a fixed rate, whichever phase the rule names. */
export const throttleFault: FaultKind = {
  name: 'throttle',
  build(rule, deps) {
    const spec = rule.spec.throttle;
    if (!spec) return undefined;
    return (next) => async (call) => {
      const outcome = await next(call);
      if (outcome.kind !== 'response') return outcome;
      const slow = new Throttle(spec.bytesPerSecond, deps, call);
      outcome.response.body.pipe(slow);
      return { ...outcome, body: slow };
    };
  },
};

/** Passes bytes through in slices of a tenth of a second's worth, pausing between them. */
class Throttle extends Transform {
  private readonly slice: number;

  constructor(
    private readonly bytesPerSecond: number,
    private readonly deps: FaultDeps,
    private readonly call: Call,
  ) {
    super();
    this.slice = Math.max(1, Math.floor(bytesPerSecond / 10));
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.pace(chunk).then(() => done(), done);
  }

  private async pace(chunk: Buffer): Promise<void> {
    for (let offset = 0; offset < chunk.length && !this.destroyed; offset += this.slice) {
      const part = chunk.subarray(offset, offset + this.slice);
      this.push(part);
      await this.deps.sleep((part.length / this.bytesPerSecond) * 1000, this.call);
    }
  }
}
