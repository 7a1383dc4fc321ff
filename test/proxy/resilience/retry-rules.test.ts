import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import seedrandom from 'seedrandom';
import { policySchema } from '../../../proxy/config/policy-schema.js';
import { faultAbort, upstreamFailure, upstreamTimeout } from '../../../proxy/errors.js';
import { classify, type Classification } from '../../../proxy/resilience/classify.js';
import { RetryBudget } from '../../../proxy/resilience/retry-budget.js';
import { backoffMs, retryReason } from '../../../proxy/resilience/retry-policy.js';
import type { Outcome } from '../../../proxy/core/outcome.js';
import { Readable } from 'node:stream';

const response = (statusCode: number): Outcome => ({ kind: 'response', response: { statusCode, statusMessage: undefined, rawHeaders: [], body: Readable.from([]) } });
const errno = (code: string) => Object.assign(new Error(code), { code });

describe('classification of an attempt', () => {
  const table: Array<[string, Outcome, Classification]> = [
    ['a 200', response(200), { kind: 'success', status: 200 }],
    ['a 404', response(404), { kind: 'success', status: 404 }],
    ['a 503 from the instance', response(503), { kind: 'failure', status: 503 }],
    ['an injected 503', { kind: 'error', error: faultAbort('r', 503) }, { kind: 'failure', status: 503 }],
    ['an injected 429', { kind: 'error', error: faultAbort('r', 429) }, { kind: 'success', status: 429 }],
    ['a timeout', { kind: 'error', error: upstreamTimeout('i', 5) }, { kind: 'timeout' }],
    ['a refused connection', { kind: 'error', error: upstreamFailure('i', errno('ECONNREFUSED')) }, { kind: 'reset', connect: true }],
    ['a reset connection', { kind: 'error', error: upstreamFailure('i', errno('ECONNRESET')) }, { kind: 'reset', connect: false }],
    ['an injected reset', { kind: 'drop', reason: 'FAULT_RESET' }, { kind: 'reset', connect: false }],
    ['a client that left', { kind: 'drop', reason: 'CLIENT_ABORTED' }, { kind: 'cancelled' }],
  ];
  for (const [name, outcome, expected] of table) it(`classifies ${name}`, () => assert.deepEqual(classify(outcome), expected));
});

describe('retry conditions', () => {
  const policy = (retries: Record<string, unknown>) => policySchema.parse({ retries }).retries;
  const table: Array<[string, Classification, string[], string | undefined]> = [
    ['a refused connection under connect-failure', { kind: 'reset', connect: true }, ['connect-failure'], 'connect-failure'],
    ['a reset under connect-failure only', { kind: 'reset', connect: false }, ['connect-failure'], undefined],
    ['a reset under reset', { kind: 'reset', connect: false }, ['reset'], 'reset'],
    ['a 503 under gateway-error', { kind: 'failure', status: 503 }, ['gateway-error'], 'gateway-error'],
    ['a 500 under gateway-error', { kind: 'failure', status: 500 }, ['gateway-error'], undefined],
    ['a 500 under 5xx', { kind: 'failure', status: 500 }, ['5xx'], '5xx'],
    ['a timeout under 5xx', { kind: 'timeout' }, ['5xx'], '5xx'],
    ['a timeout under reset only', { kind: 'timeout' }, ['reset'], undefined],
    ['a 409 listed in statusCodes', { kind: 'success', status: 409 }, ['retriable-status-codes'], 'retriable-status-codes'],
    ['a 200', { kind: 'success', status: 200 }, ['5xx', 'reset'], undefined],
    ['a client that left', { kind: 'cancelled' }, ['5xx', 'reset', 'connect-failure'], undefined],
  ];
  for (const [name, c, retryOn, expected] of table) {
    it(`${expected ? 'retries' : 'does not retry'} ${name}`, () => assert.equal(retryReason(c, policy({ retryOn, statusCodes: [409] })), expected));
  }

  it('backs off exponentially with full jitter, never above max', () => {
    const random = seedrandom('backoff');
    const b = { base: 25, max: 250 };
    for (let retry = 0; retry < 8; retry++) {
      const ceiling = Math.min(250, 25 * 2 ** retry);
      const waits = Array.from({ length: 200 }, () => backoffMs(retry, b, random));
      assert.ok(waits.every((w) => w >= 0 && w <= ceiling), `retry ${retry} stays within 0..${ceiling}`);
      assert.ok(Math.max(...waits) > ceiling * 0.9, `retry ${retry} reaches near its ceiling`);
    }
  });
});

describe('retry budget', () => {
  it('allows percent of requests plus minPerSecond for each second of its window', () => {
    let now = 0;
    const budget = new RetryBudget(() => now);
    for (let i = 0; i < 100; i++) budget.deposit();
    let granted = 0;
    while (budget.withdraw({ percent: 20, minPerSecond: 1 })) granted++;
    assert.equal(granted, 20 + 10, '20% of 100 requests plus 1/s over 10 s');
    now += 500;
    assert.equal(budget.withdraw({ percent: 20, minPerSecond: 1 }), false, 'still spent within the same window');
  });

  it('forgets requests and retries older than its 10 s window', () => {
    let now = 0;
    const budget = new RetryBudget(() => now);
    for (let i = 0; i < 50; i++) budget.deposit();
    let granted = 0;
    while (budget.withdraw({ percent: 20, minPerSecond: 0 })) granted++;
    assert.equal(granted, 10);
    now += 10_000;
    assert.equal(budget.withdraw({ percent: 20, minPerSecond: 0 }), false, 'old requests no longer pay for retries');
    for (let i = 0; i < 10; i++) budget.deposit();
    assert.equal(budget.withdraw({ percent: 20, minPerSecond: 0 }), true);
    assert.equal(budget.withdraw({ percent: 20, minPerSecond: 0 }), true);
    assert.equal(budget.withdraw({ percent: 20, minPerSecond: 0 }), false);
  });
});
