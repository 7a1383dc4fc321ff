import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { actionPhrase, matchPhrase } from '../../control/ui/describe-fault.js';

describe('a fault rule in a few words, as faultmesh faults list says it', () => {
  const rule = (r: Record<string, unknown>) => ({ target: 'payments', ...r });
  const matches: Array<[Record<string, unknown>, string]> = [
    [rule({ abort: { status: 503 } }), 'every request'],
    [rule({ abort: { status: 503 }, match: {} }), 'every request'],
    [rule({ abort: { status: 503 }, match: { customers: ['acme'], regions: ['eu-west', 'us-east'] } }), 'regions=eu-west,us-east customers=acme'],
    [rule({ abort: { status: 503 }, match: { methods: ['get'] } }), 'methods=GET'],
    [rule({ abort: { status: 503 }, match: { headers: { 'x-canary': '1' }, labels: { version: 'v2' } } }), 'headers.x-canary=1 labels.version=v2'],
    // A field this version does not know: shown as it came.
    [{ match: { planets: ['mars'] } }, 'planets mars'],
  ];
  for (const [spec, phrase] of matches) it(`matches: ${phrase}`, () => assert.equal(matchPhrase(spec), phrase));

  const actions: Array<[Record<string, unknown>, string]> = [
    [rule({ abort: { status: 503 } }), 'abort 503'],
    [rule({ delay: { fixed: '0.4s' } }), 'delay 400ms'],
    [rule({ delay: { form: 'fixed', ms: 300 } }), 'delay 300ms'],
    [rule({ delay: { min: '10ms', max: '50ms' }, abort: { status: 500 } }), 'abort 500+delay 10ms..50ms'],
    [rule({ delay: { form: 'normal', meanMs: 100, stddevMs: 20 } }), 'delay 100ms±20ms'],
    [rule({ reset: true }), 'reset'],
    [rule({ throttle: { bytesPerSecond: 1024 } }), 'throttle 1024 B/s'],
    [{ teleport: true }, 'none'],
  ];
  for (const [spec, phrase] of actions) it(`does: ${phrase}`, () => assert.equal(actionPhrase(spec), phrase));
});
