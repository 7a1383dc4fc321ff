import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SpanBatch, type CallRecord } from '../../../proxy/tracing/span-batch.js';
import { fakeTimers } from '../../helpers/fake-timers.js';

const record = (n: number): CallRecord => ({
  traceId: n.toString(16).padStart(32, '0'),
  spanId: n.toString(16).padStart(16, '0'),
  parentSpanId: undefined,
  name: 'GET payments',
  startMs: n,
  endMs: n + 1,
  attributes: {},
  events: undefined,
  links: undefined,
  error: undefined,
});

/** A batch over fake timers that keeps what it emitted and what it dropped. */
function batchOf(o: { max: number; size: number }) {
  const clock = fakeTimers();
  const emitted: number[][] = [];
  let dropped = 0;
  const batch = new SpanBatch((records) => emitted.push(records.map((r) => r.startMs)), { ...o, delayMs: 200, timers: clock, dropped: (n) => (dropped += n) });
  return { clock, batch, emitted, dropped: () => dropped };
}

describe('span batch: finished calls made into spans together', () => {
  it('makes a batch once it is full, without waiting for the timer', () => {
    const { batch, emitted, clock } = batchOf({ max: 100, size: 3 });
    for (const n of [1, 2, 3, 4]) batch.add(record(n));
    assert.deepEqual(emitted, [[1, 2, 3]]);
    assert.equal(batch.size, 1, 'the fourth waits for the next batch');
    assert.equal(clock.pending(), 1, 'and for its timer');
  });

  it('makes what waits into spans after the delay, in the order the calls ended', async () => {
    const { batch, emitted, clock } = batchOf({ max: 100, size: 50 });
    batch.add(record(1));
    batch.add(record(2));
    assert.deepEqual(emitted, []);
    await clock.advance(199);
    assert.deepEqual(emitted, [], 'not before the delay');
    await clock.advance(1);
    assert.deepEqual(emitted, [[1, 2]]);
    assert.equal(clock.pending(), 0, 'no timer left once nothing waits');
  });

  it('drops past its bound and counts each one, and takes records again once drained', () => {
    const { batch, emitted, dropped } = batchOf({ max: 2, size: 50 });
    for (const n of [1, 2, 3, 4]) batch.add(record(n));
    assert.equal(dropped(), 2);
    batch.drain();
    batch.add(record(5));
    batch.drain();
    assert.deepEqual(emitted, [[1, 2], [5]]);
  });

  it('drains at once on a flush, and a drain with nothing waiting emits nothing', () => {
    const { batch, emitted, clock } = batchOf({ max: 100, size: 50 });
    batch.drain();
    assert.deepEqual(emitted, []);
    batch.add(record(7));
    batch.drain();
    assert.deepEqual(emitted, [[7]]);
    assert.equal(clock.pending(), 0, 'the timer went with the drain');
  });
});
