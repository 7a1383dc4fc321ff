import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { send } from '../../helpers/http-client.js';
import { sample } from '../../helpers/metrics.js';
import { count, pay, startResilienceFixture } from '../../helpers/resilience-fixture.js';

type Fixture = Awaited<ReturnType<typeof startResilienceFixture>>;

describe('retries', () => {
  const stops: Array<() => Promise<void>> = [];
  after(async () => {
    for (const stop of stops) await stop();
  });
  const start = async (policy: string, n = 2): Promise<Fixture> => {
    const f = await startResilienceFixture(Array.from({ length: n }, (_, i) => pay(`pay-${i + 1}`)), policy);
    stops.push(f.stop);
    return f;
  };
  const total = (f: Fixture) => [...f.upstreams.values()].reduce((n, u) => n + u.received(), 0);

  it('stays within the retry budget under a full outage: no retry storm', async () => {
    const f = await start(`
retries: { attempts: 2, retryOn: [5xx], backoff: { base: 1ms, max: 1ms }, budget: { percent: 20, minPerSecond: 0 } }
outlierDetection: { enabled: false }
`);
    for (const u of f.upstreams.values()) u.behave({ status: 503 });
    const replies = await f.calls(200, 4);
    assert.equal(count(replies, 503), 200);
    // Without a budget: 200 x 3 = 600 attempts. With it: 200 + 20% of 200.
    assert.ok(total(f) <= 240, `${total(f)} upstream attempts for 200 requests`);
    assert.ok(total(f) >= 230, `the budget is used, not just refused: ${total(f)}`);
    const metrics = await f.metrics();
    assert.equal(sample(metrics, 'faultmesh_retries_total', { destination: 'payments', reason: '5xx' }), total(f) - 200);
    assert.ok(sample(metrics, 'faultmesh_retry_budget_exhausted_total', { destination: 'payments' })! >= 150);
  });

  it('retries on another instance than the one that failed', async () => {
    const f = await start(`retries: { attempts: 1, retryOn: [reset], backoff: { base: 1ms, max: 1ms } }\noutlierDetection: { enabled: false }`, 3);
    f.upstream('pay-1').behave({ reset: true });
    const replies = await f.calls(30);
    // One retry allowed: had any retry gone back to pay-1, that call would have failed.
    assert.equal(count(replies, 200), 30);
    assert.ok(f.received('pay-1') > 0);
    assert.equal(f.received('pay-2') + f.received('pay-3'), 30);
    assert.equal(sample(await f.metrics(), 'faultmesh_retries_total', { reason: 'reset' }), f.received('pay-1'));
  });

  it('does not retry POST unless the policy lists it, and replays its body when it does', async () => {
    const body = JSON.stringify({ order: 42, items: ['a', 'b'] });
    const strict = await start(`retries: { attempts: 2, retryOn: [reset] }\noutlierDetection: { enabled: false }`);
    strict.upstream('pay-1').behave({ reset: true });
    const refused = await strict.call({ method: 'POST', path: '/echo', body });
    assert.equal(refused.status, 502);
    assert.equal(total(strict), 1, 'one attempt only');

    const lenient = await start(`retries: { attempts: 2, retryOn: [reset], methods: [GET, POST] }\noutlierDetection: { enabled: false }`);
    lenient.upstream('pay-1').behave({ reset: true });
    const replayed = await lenient.call({ method: 'POST', path: '/echo', body, headers: { 'content-type': 'application/json' } });
    assert.equal(replayed.status, 200);
    assert.equal(replayed.text(), body, 'the second instance got the whole body');
    assert.equal(total(lenient), 2);
  });

  it('replays a chunked body and a body near the 64 KiB cap byte for byte', async () => {
    const f = await start(`retries: { attempts: 1, retryOn: [reset], methods: [PUT] }\noutlierDetection: { enabled: false }`);
    f.upstream('pay-1').behave({ reset: true });
    const big = randomBytes(64 * 1024);
    const reply = await f.call({ method: 'PUT', path: '/echo', body: big });
    assert.equal(reply.status, 200);
    assert.ok(reply.body.equals(big));
    const { Readable } = await import('node:stream');
    const chunked = await f.call({ method: 'PUT', path: '/echo', body: Readable.from([Buffer.from('part one, '), Buffer.from('part two')]) });
    assert.equal(chunked.text(), 'part one, part two');
  });

  it('sends a body over 64 KiB once, without retry', async () => {
    const f = await start(`retries: { attempts: 2, retryOn: [reset], methods: [PUT] }\noutlierDetection: { enabled: false }`);
    const big = randomBytes(100 * 1024);
    const through = await f.call({ method: 'PUT', path: '/echo', body: big });
    assert.ok(through.body.equals(big), 'a large body still streams through');
    f.upstream('pay-2').behave({ reset: true });
    const failed = await f.call({ method: 'PUT', path: '/echo', body: big });
    assert.equal(failed.status, 502);
    assert.equal(f.received('pay-2'), 1, 'no second try');
  });

  it('never retries a response that has started streaming to the caller', async () => {
    const f = await start(`retries: { attempts: 2, retryOn: [5xx, reset] }\noutlierDetection: { enabled: false }`);
    await assert.rejects(send(f.proxy.proxyUrl, { path: '/?cutAfter=100', headers: { host: 'payments' } }));
    assert.equal(total(f), 1);
  });

  it('retries listed status codes under retriable-status-codes', async () => {
    const f = await start(`retries: { attempts: 1, retryOn: [retriable-status-codes], statusCodes: [409], backoff: { base: 1ms, max: 1ms } }`);
    f.upstream('pay-1').behave({ status: 409 });
    const replies = await f.calls(4);
    assert.deepEqual(replies.map((r) => r.status), [200, 200, 200, 200]);
    assert.equal(sample(await f.metrics(), 'faultmesh_retries_total', { reason: 'retriable-status-codes' }), f.received('pay-1'));
    assert.ok(f.received('pay-1') >= 2);
  });

  it('retries a refused connection by default, and nothing else', async () => {
    const f = await start('{}');
    await f.upstream('pay-1').close();
    const replies = await f.calls(6);
    assert.deepEqual(replies.map((r) => r.status), [200, 200, 200, 200, 200, 200]);
    f.upstream('pay-2').behave({ status: 503 });
    assert.equal((await f.call()).status, 503, 'a 503 is not retried by default');
  });
});
