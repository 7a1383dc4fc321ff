import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { backoffMs, BACKOFF_MAX_MS } from '../../../../proxy/sources/control/backoff.js';

describe('reconnection back-off', () => {
  it('draws uniformly below a ceiling that doubles from 100 ms up to 5 s (full jitter)', () => {
    const top = () => 0.999999;
    const ceilings = [0, 1, 2, 3, 5, 6, 20, 1000].map((failures) => Math.round(backoffMs(failures, top)));
    assert.deepEqual(ceilings, [100, 200, 400, 800, 3200, BACKOFF_MAX_MS, BACKOFF_MAX_MS, BACKOFF_MAX_MS]);
    assert.equal(backoffMs(10, () => 0), 0, 'the draw starts at zero, so proxies spread over the whole window');
    assert.equal(backoffMs(3, () => 0.5), 400);
  });
});
