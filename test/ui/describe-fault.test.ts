import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { actionPhrase, matchPhrase } from '../../control/ui/describe-fault.js';

describe('a fault rule in a few words', () => {
  const matches: Array<[Record<string, unknown>, string]> = [
    [{}, 'every request'],
    [{ match: {} }, 'every request'],
    [{ match: { customers: ['acme'], regions: ['eu-west', 'us-east'] } }, 'customers acme; regions eu-west, us-east'],
    [{ match: { headers: { 'x-canary': '1' }, labels: { version: 'v2' } } }, 'headers x-canary=1; labels version=v2'],
  ];
  for (const [spec, phrase] of matches) it(`matches: ${phrase}`, () => assert.equal(matchPhrase(spec), phrase));

  const actions: Array<[Record<string, unknown>, string]> = [
    [{ abort: { status: 503 } }, 'abort 503'],
    [{ delay: { fixed: '300ms' } }, 'delay 300ms'],
    [{ delay: { form: 'fixed', ms: 300 } }, 'delay 300ms'],
    [{ delay: { min: '10ms', max: '50ms' }, abort: { status: 500 } }, 'delay 10ms–50ms, abort 500'],
    [{ delay: { form: 'normal', meanMs: 100, stddevMs: 20 } }, 'delay ~100ms ±20ms'],
    [{ reset: true }, 'reset'],
    [{ throttle: { bytesPerSecond: 1024 } }, 'throttle 1024 B/s'],
    [{}, 'none'],
  ];
  for (const [spec, phrase] of actions) it(`does: ${phrase}`, () => assert.equal(actionPhrase(spec), phrase));
});
