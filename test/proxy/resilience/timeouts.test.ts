import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { AUTH } from '../../helpers/fault-fixture.js';
import { send } from '../../helpers/http-client.js';
import { pay, startResilienceFixture } from '../../helpers/resilience-fixture.js';
import { holdsFor } from '../../helpers/wait.js';

type Fixture = Awaited<ReturnType<typeof startResilienceFixture>>;

// Bounds here are behaviour, not speed: each timeout must answer after its
// own duration and long before the 2 s the instances would take.
describe('timeouts', () => {
  const stops: Array<() => Promise<void>> = [];
  after(async () => {
    for (const stop of stops) await stop();
  });
  const start = async (policy: string): Promise<Fixture> => {
    const f = await startResilienceFixture([pay('pay-1'), pay('pay-2')], policy, { adminToken: 'test-token' });
    stops.push(f.stop);
    return f;
  };
  const timed = async <T>(fn: () => Promise<T>): Promise<[T, number]> => {
    const t0 = performance.now();
    const value = await fn();
    return [value, performance.now() - t0];
  };
  const total = (f: Fixture) => f.received('pay-1') + f.received('pay-2');

  it('gives each try its perTryTimeout and answers 504 after the last', async () => {
    const f = await start(`timeout: 5s\nretries: { attempts: 2, perTryTimeout: 100ms, retryOn: [gateway-error], backoff: { base: 1ms, max: 1ms } }\noutlierDetection: { enabled: false }`);
    for (const u of f.upstreams.values()) u.behave({ delayMs: 2000 });
    const [reply, ms] = await timed(() => f.call());
    assert.equal(reply.status, 504);
    assert.equal(reply.headers['x-faultmesh-error'], 'UPSTREAM_TIMEOUT');
    assert.match(reply.json<{ message: string }>().message, /within 100ms/);
    assert.ok(ms >= 300 && ms < 1500, `three tries of 100 ms took ${Math.round(ms)} ms`);
    assert.equal(total(f), 3);
  });

  it('ends the whole call at its overall timeout, whatever retries remain', async () => {
    const f = await start(`timeout: 250ms\nretries: { attempts: 5, perTryTimeout: 200ms, retryOn: [gateway-error], backoff: { base: 1ms, max: 1ms } }\noutlierDetection: { enabled: false }`);
    for (const u of f.upstreams.values()) u.behave({ delayMs: 2000 });
    const [reply, ms] = await timed(() => f.call());
    assert.equal(reply.status, 504);
    assert.match(reply.json<{ message: string }>().message, /no response within 250ms \(2 attempts/);
    assert.ok(ms >= 250 && ms < 1500, `answered after ${Math.round(ms)} ms`);
    // A third try would start at once, or when the second's 200 ms per-try timeout ran out.
    await holdsFor(() => total(f) === 2, 500, 'no attempt starts after the deadline');
  });

  it('masks one slow instance: the per-try timeout moves the call to another', async () => {
    const f = await start(`retries: { attempts: 1, perTryTimeout: 100ms, retryOn: [gateway-error], backoff: { base: 1ms, max: 1ms } }\noutlierDetection: { enabled: false }`);
    f.upstream('pay-1').behave({ delayMs: 2000 });
    const [replies, ms] = await timed(() => f.calls(4));
    assert.deepEqual(replies.map((r) => r.status), [200, 200, 200, 200]);
    assert.ok(ms < 1500, `four calls took ${Math.round(ms)} ms`);
  });

  it('treats an injected delay like a slow instance, and the abandoned try never reaches the upstream', async () => {
    const f = await start(`retries: { attempts: 1, perTryTimeout: 100ms, retryOn: [gateway-error], backoff: { base: 1ms, max: 1ms } }\noutlierDetection: { enabled: false }`);
    const rule = { id: 'slow-pay-1', target: 'payments', match: { hosts: ['pay-1'] }, delay: { fixed: '300ms' }, ttl: '60s' };
    const added = await send(f.proxy.adminUrl, { method: 'POST', path: '/v1/faults', headers: { ...AUTH, 'content-type': 'application/json' }, body: JSON.stringify(rule) });
    assert.equal(added.status, 201, added.text());
    const replies = await f.calls(4);
    assert.deepEqual(replies.map((r) => r.status), [200, 200, 200, 200]);
    assert.equal(f.received('pay-2'), 4);
    // A given-up try still sleeping in its delay would reach pay-1 when the 300 ms ran out.
    await holdsFor(() => f.received('pay-1') === 0, 600, 'the delayed tries were given up, not sent late');
  });
});

describe('timeouts during a slow upload', () => {
  it('answers 504 at the deadline and never forwards the late body', async () => {
    const f = await startResilienceFixture([pay('pay-1')], `timeout: 200ms\nretries: { attempts: 1, retryOn: [reset], methods: [PUT] }`);
    try {
      const { PassThrough } = await import('node:stream');
      const body = new PassThrough();
      body.write('first part');
      const reply = await f.call({ method: 'PUT', path: '/echo', body, headers: { 'transfer-encoding': 'chunked' } });
      assert.equal(reply.status, 504, 'the deadline answers while the upload is still under way');
      body.end('second part');
      await holdsFor(() => f.received('pay-1') === 0, 500, 'the body that came after the deadline is never forwarded');
    } finally {
      await f.stop();
    }
  });
});
